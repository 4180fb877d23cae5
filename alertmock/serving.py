"""An app factory for servers that take an import string (uvicorn --reload, several workers)."""

from __future__ import annotations

import sys

from connexion import AsyncApp

from alertmock.app import create_app
from alertmock.config import Config
from alertmock.edge import log_requests_to
from alertmock.gc_tuning import tune_for_serving


def app_from_env() -> AsyncApp:
    config = Config.from_env()
    app = create_app(config)
    if not config.quiet:
        log_requests_to(sys.stdout)
    tune_for_serving()
    return app
