"""An app factory for servers that take an import string (uvicorn --reload, several workers)."""

from __future__ import annotations

from connexion import AsyncApp

from alertmock.app import create_app
from alertmock.config import Config
from alertmock.gc_tuning import tune_for_serving


def app_from_env() -> AsyncApp:
    app = create_app(Config.from_env())
    tune_for_serving()
    return app
