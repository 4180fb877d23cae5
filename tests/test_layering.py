"""The import rules of ARCHITECTURE.md: only the contract connects the engine to the handlers."""

from __future__ import annotations

import ast
from pathlib import Path

import alertmock

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_the_engine_never_imports_handlers() -> None:
    for path in (ROOT / "alertmock").rglob("*.py"):
        offending = {name for name in _imports(path) if name == "handlers" or name.startswith("handlers.")}
        assert not offending, f"{path.relative_to(ROOT)} imports {offending}"


def test_handlers_use_only_the_engines_public_names() -> None:
    for path in (ROOT / "handlers").rglob("*.py"):
        private = {name for name in _imports(path) if name.startswith("alertmock.")}
        assert not private, f"{path.relative_to(ROOT)} imports engine internals {private}"


def test_the_public_surface_is_deliberate() -> None:
    # Adding or dropping a public name is an API change: update this list on purpose.
    assert sorted(alertmock.__all__) == sorted(
        [
            "Config",
            "create_app",
            "State",
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
