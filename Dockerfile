# alertmock in a container: `docker build -t alertmock .` then `docker run -p 4010:4010 alertmock`.
# tests/test_packaging.py rebuilds what the first stage copies and runs the final command from it.

# Stage 1: the wheel, built from the same files a clone has (the contract is copied into it).
FROM python:3.12-slim AS build
WORKDIR /src
COPY pyproject.toml setup.py MANIFEST.in README.md openapi.yaml ./
COPY spec/ spec/
COPY fixtures/ fixtures/
COPY alertmock/ alertmock/
COPY handlers/ handlers/
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

# Stage 2: only the installed wheel and its runtime dependencies, run by an unprivileged user.
FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels \
    && useradd --create-home --uid 10001 alertmock
USER alertmock
WORKDIR /home/alertmock
# For --state-file (ALERTMOCK_STATE_FILE): a volume mounted here starts owned by the user.
RUN mkdir state
EXPOSE 4010
# Liveness needs no admin token (/__mock/health is open); python is there, curl is not.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:4010/__mock/health', timeout=2)"]
ENTRYPOINT ["alertmock"]
CMD ["serve", "--host", "0.0.0.0"]
