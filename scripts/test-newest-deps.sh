#!/bin/sh
# Run the test suite against the newest Connexion, Starlette and uvicorn, past the pins in pyproject.toml.
#
# alertmock/framework/speed/ reaches into both frameworks' internals (alertmock/framework/speed/README.md lists each
# one), so pyproject.toml pins Connexion to the minor version they were written against and
# Starlette below its next major. This script is how an upgrade becomes a decision: it builds a
# throw-away venv, installs alertmock, then forces the newest releases over the pins (pip warns
# about the conflict and installs them anyway) and runs the whole suite. Any pytest arguments are
# passed on, e.g. `scripts/test-newest-deps.sh tests/framework/test_differential.py`.
set -eu
cd "$(dirname "$0")/.."
venv="$(mktemp -d)/venv"
trap 'rm -rf "$(dirname "$venv")"' EXIT
python3 -m venv "$venv"
"$venv/bin/pip" install -q -e '.[test]'
"$venv/bin/pip" install -q --upgrade 'connexion[uvicorn,swagger-ui]' starlette 'uvicorn[standard]' 2>&1 | grep -v "dependency conflicts\|incompatible\|^$" || true
"$venv/bin/python" -c 'from importlib.metadata import version as v; print("connexion", v("connexion"), "starlette", v("starlette"), "uvicorn", v("uvicorn"))'
"$venv/bin/python" -m pytest -q -p no:cacheprovider "$@"
