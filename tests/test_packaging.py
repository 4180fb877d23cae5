"""The wheel as a user gets it: built from the files the Dockerfile copies, installed into a fresh
environment, and run from an empty folder with no clone around.

The fresh environment gets the wheel itself (``pip install --no-deps``); its dependencies come from
the test environment's site-packages through a ``.pth`` line, which is not processed for ``.pth``
files of its own, so the checkout's editable install stays invisible. That saves downloading and
installing Connexion and the rest for every run; the test checks where ``alertmock`` and ``handlers``
are imported from, and that the wheel's declared dependencies are what serving needs.

No docker engine is available here: building the Dockerfile's first stage by hand (its ``COPY``
lines, then its ``pip wheel``) and running its ``ENTRYPOINT`` + ``CMD`` is what stands in for it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.servers import free_port, wait_until_healthy

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(instruction, arguments) pairs, with line continuations joined and comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    pairs = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            instruction, _, arguments = line.strip().partition(" ")
            pairs.append((instruction.upper(), arguments.strip()))
    return pairs


def build_context_copies() -> list[tuple[list[str], str]]:
    """The build stage's ``COPY sources... destination`` lines (not ``COPY --from``)."""
    copies = []
    for instruction, arguments in dockerfile_instructions():
        if instruction == "COPY" and not arguments.startswith("--"):
            *sources, destination = arguments.split()
            copies.append((sources, destination))
    return copies


def entry_command() -> list[str]:
    found = {i: json.loads(a) for i, a in dockerfile_instructions() if i in ("ENTRYPOINT", "CMD")}
    return [*found["ENTRYPOINT"], *found["CMD"]]


def healthcheck_command() -> list[str]:
    arguments = next(a for i, a in dockerfile_instructions() if i == "HEALTHCHECK")
    return json.loads(arguments[arguments.index("CMD") + len("CMD") :])


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built, as the Dockerfile does, from a context holding only what it copies."""
    context = tmp_path_factory.mktemp("docker-context")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for sources, destination in build_context_copies():
        for source in sources:
            target = context / destination
            if (ROOT / source).is_dir():
                shutil.copytree(ROOT / source, target, ignore=ignore, dirs_exist_ok=True)
            else:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / source, target / Path(source).name)
    wheels = tmp_path_factory.mktemp("wheels")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(context)],
        check=True,
        capture_output=True,
    )
    (built,) = wheels.glob("alertmock-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed; returns its bin directory."""
    prefix = tmp_path_factory.mktemp("fresh") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(prefix)], check=True)
    bin_dir = prefix / "bin"
    python = bin_dir / "python"
    site_packages = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    dependencies = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site_packages / "zz_test_dependencies.pth").write_text("\n".join(sorted(dependencies)) + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
    )
    return bin_dir


@pytest.fixture
def empty_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def user_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a user's shell: no ALERTMOCK_* settings, no PYTHONPATH to the clone."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALERTMOCK_") and k != "PYTHONPATH"}
    return {**env, "HOME": str(home), **extra}


def run(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(venv / args[0]), *args[1:]], cwd=cwd, env=user_env(cwd), capture_output=True, text=True, timeout=120
    )


def test_imports_come_from_the_installed_wheel(venv: Path, empty_dir: Path) -> None:
    done = run(
        venv, empty_dir, "python", "-c", "import alertmock, handlers; print(alertmock.__file__, handlers.__file__)"
    )
    assert done.returncode == 0, done.stderr
    for path in done.stdout.split():
        assert Path(path).is_relative_to(venv.parent), path


def test_version_and_help_from_an_empty_folder(venv: Path, empty_dir: Path) -> None:
    from alertmock import __version__

    done = run(venv, empty_dir, "alertmock", "--version")
    assert (done.returncode, done.stdout.strip()) == (0, f"alertmock {__version__}")
    done = run(venv, empty_dir, "alertmock", "--help")
    assert done.returncode == 0 and "serve" in done.stdout, done.stderr


def test_lint_checks_the_bundled_contract(venv: Path, empty_dir: Path) -> None:
    done = run(venv, empty_dir, "alertmock", "lint")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "32/32" in done.stdout


def test_the_containers_command_serves_the_demo(venv: Path, empty_dir: Path) -> None:
    port = free_port()
    # The image's command, told (last flag wins) to stay on loopback and on a free port here.
    command = [str(venv / entry_command()[0]), *entry_command()[1:], "--host", "127.0.0.1", "--port", str(port)]
    with subprocess.Popen(
        command, cwd=empty_dir, env=user_env(empty_dir), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as server:
        try:
            health = wait_until_healthy(f"http://127.0.0.1:{port}", server)
            # Every documented operation found its handler in the installed `handlers` package.
            assert health["fallback_operations"] == []
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/v1/apps/example-app/alerts",
                headers={"Authorization": "Basic OnRrLXVzLWRlbW8tdG9rZW4="},  # ":tk-us-demo-token"
            )
            with urllib.request.urlopen(request, timeout=10) as answer:
                assert answer.status == 200
                assert json.load(answer)["alerts"], "the bundled fixtures' alerts"
            # The dashboard's page and scripts are package data too.
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as answer:
                assert answer.url.endswith("/__mock/") and b"dashboard.js" in answer.read()
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/__mock/static/dashboard.js", timeout=10) as answer:
                assert answer.status == 200
            # The image's HEALTHCHECK, pointed at this server's port.
            probe = [part.replace(":4010/", f":{port}/") for part in healthcheck_command()]
            assert subprocess.run([str(venv / probe[0]), *probe[1:]], timeout=30).returncode == 0
        finally:
            server.terminate()


def test_the_wheel_carries_every_data_file_of_its_packages(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for package in ("alertmock", "handlers"):
        for path in (ROOT / package).rglob("*"):
            # A README.md beside the code is for readers of the source, not for the installed package.
            if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".md"):
                assert path.relative_to(ROOT).as_posix() in names, path
    for name in ("openapi.yaml", "spec/tableau.yaml", "fixtures/scalingo/alerts.json"):
        assert f"alertmock/bundled/{name}" in names


def test_serving_needs_no_test_tools(wheel: Path) -> None:
    metadata = zipfile.ZipFile(wheel).read(f"{wheel.name.split('-py3')[0]}.dist-info/METADATA").decode()
    required = [line.split(":", 1)[1].strip() for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    unconditional = {re.split(r"[\[<>=;! ]", r)[0].lower() for r in required if "extra ==" not in r}
    assert not unconditional & {"schemathesis", "pytest", "hypothesis", "ruff"}
    assert "connexion" in unconditional and "uvicorn" in unconditional
    assert "httpx" in unconditional  # `alertmock proxy`'s client to the real services
