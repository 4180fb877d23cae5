"""The import rules of ARCHITECTURE.md, checked on the source and seen to fail on a tree that breaks them.

1. Only `alertmock/framework/` imports Connexion, a private module of Starlette (``starlette._*``)
   or uvicorn's internals (anything but ``uvicorn`` itself).
2. Outside `alertmock/framework/`, the adapter is used through its package only
   (``from alertmock.framework import build_app``), never a module of it.
3. The speed path (`alertmock/framework/speed/`) is imported by `framework/engines.py` only, and
   only inside a function: the stock path must import without it.
4. The engine never imports `handlers/`; handlers import only ``alertmock`` (no framework, no
   engine module).
5. `alertmock/` keeps at most ten modules at its root: concepts live in their packages.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import alertmock

ROOT = Path(__file__).resolve().parents[1]
MAX_ROOT_MODULES = 10


@dataclass(frozen=True)
class Imported:
    module: str
    line: int
    lazy: bool  # inside a function (imported when called, not when the module is)
    named: bool = False  # `from X import name`: "X.name", a module or just a name of X


def _imports(path: Path) -> Iterator[Imported]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = {
        id(child)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for child in ast.walk(node)
    }
    for node in ast.walk(tree):
        lazy = id(node) in functions
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Imported(alias.name, node.lineno, lazy)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield Imported(node.module, node.lineno, lazy)
            for alias in node.names:  # `from alertmock import xml` names a module too
                yield Imported(f"{node.module}.{alias.name}", node.lineno, lazy, named=True)


def _is_framework_internal(module: str) -> bool:
    top, _, rest = module.partition(".")
    if top == "connexion":
        return True
    if top == "starlette":
        return rest.startswith("_")
    return top == "uvicorn" and rest != ""


def violations(root: Path) -> list[str]:
    """Every broken rule in the tree at `root` (its ``alertmock/`` and ``handlers/``)."""
    found: list[str] = []
    engine, handlers = root / "alertmock", root / "handlers"
    for path in sorted(engine.rglob("*.py")):
        where = path.relative_to(root).as_posix()
        in_framework = where.startswith("alertmock/framework/")
        for imported in _imports(path):
            name = imported.module
            if imported.named and not _is_module(root, name):
                continue
            at = f"{where}:{imported.line}"
            if _is_framework_internal(name) and not in_framework:
                found.append(f"{at}: {name} is the framework adapter's to import")
            if name.startswith("alertmock.framework.") and not in_framework:
                found.append(f"{at}: {name}: use the adapter's package (from alertmock.framework import …)")
            speed_importer = where.startswith("alertmock/framework/speed/") or (
                where == "alertmock/framework/engines.py" and imported.lazy
            )
            if name.startswith("alertmock.framework.speed") and not speed_importer:
                found.append(f"{at}: {name}: only engines.py imports the speed path, inside a function")
            if name == "handlers" or name.startswith("handlers."):
                found.append(f"{at}: the engine imports {name}")
    for path in sorted(handlers.rglob("*.py")):
        where = path.relative_to(root).as_posix()
        for imported in _imports(path):
            name, at = imported.module, f"{where}:{imported.line}"
            top = name.partition(".")[0]
            if top in ("connexion", "starlette", "uvicorn"):
                found.append(f"{at}: handlers import no framework ({name}); alertmock exports what they need")
            elif (top == "alertmock" and name.count(".") > 1) or (name.startswith("alertmock.") and not _public(name)):
                found.append(f"{at}: handlers import only alertmock's public names ({name})")
    root_modules = sorted(p.name for p in engine.glob("*.py"))
    if len(root_modules) > MAX_ROOT_MODULES:
        found.append(f"alertmock/ holds {len(root_modules)} modules at its root: {', '.join(root_modules)}")
    return found


def _is_module(root: Path, dotted: str) -> bool:
    path = root / dotted.replace(".", "/")
    return path.is_dir() or path.with_suffix(".py").is_file()


def _public(name: str) -> bool:
    # `from alertmock import X` shows up as "alertmock.X": fine when X is a public name.
    return name.removeprefix("alertmock.") in alertmock.__all__


def test_the_project_keeps_the_import_rules() -> None:
    assert violations(ROOT) == []


BROKEN = {
    "alertmock/__init__.py": "",
    "alertmock/layers/cors.py": "from connexion.middleware import MiddlewarePosition\n",
    "alertmock/state/store.py": "from starlette._utils import get_route_path\n",
    "alertmock/app/factory.py": "from alertmock.framework.apps import build_app\nimport handlers.tableau\n",
    "alertmock/framework/apps.py": "from alertmock.framework.speed.engine import speed_engine\n",
    "alertmock/framework/engines.py": "import alertmock.framework.speed.engine\n",
    "alertmock/app/serving.py": "def f():\n    import uvicorn.protocols.http.httptools_impl\n",
    "handlers/tableau/errors.py": "from starlette.responses import Response\nfrom alertmock.state.store import State\n",
    **{f"alertmock/m{n}.py": "" for n in range(10)},
}


@pytest.fixture
def broken_tree(tmp_path: Path) -> Path:
    for name, text in BROKEN.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_each_rule_fails_when_broken(broken_tree: Path) -> None:
    found = "\n".join(violations(broken_tree))
    assert "alertmock/layers/cors.py:1: connexion.middleware is the framework adapter's" in found
    assert "alertmock/state/store.py:1: starlette._utils is the framework adapter's" in found
    assert "alertmock/app/factory.py:1: alertmock.framework.apps: use the adapter's package" in found
    assert "alertmock/app/factory.py:2: the engine imports handlers.tableau" in found
    assert "alertmock/framework/apps.py:1: alertmock.framework.speed.engine: only engines.py" in found
    assert "alertmock/framework/engines.py:1: alertmock.framework.speed.engine: only engines.py" in found
    assert "alertmock/app/serving.py:2: uvicorn.protocols.http.httptools_impl is the framework adapter's" in found
    assert "handlers/tableau/errors.py:1: handlers import no framework (starlette.responses)" in found
    assert (
        "handlers/tableau/errors.py:2: handlers import only alertmock's public names (alertmock.state.store)" in found
    )
    assert "alertmock/ holds 11 modules at its root" in found


def test_the_public_surface_is_deliberate() -> None:
    # Adding or dropping a public name is an API change: update this list on purpose.
    assert sorted(alertmock.__all__) == sorted(
        [
            "Config",
            "create_app",
            "State",
            "Request",
            "Response",
            "base_url",
            "current_operation",
            "current_request",
            "current_session",
            "current_settings",
            "current_state",
            "new_uuid",
            "now",
            "negotiate",
            "respond",
            "to_xml",
            "freeze",
            "ApiError",
            "BadRequestError",
            "ConflictError",
            "ForbiddenError",
            "MethodNotAllowedError",
            "NotAcceptableError",
            "NotFoundError",
            "PayloadTooLargeError",
            "RequestValidationError",
            "UnauthorizedError",
            "UnprocessableEntityError",
            "UnsupportedMediaTypeError",
        ]
    )
    assert all(hasattr(alertmock, name) for name in alertmock.__all__)
