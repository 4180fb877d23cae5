"""An app factory for servers that take an import string (uvicorn --reload, several workers)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from alertmock.config import Config
from alertmock.edge import log_requests_to
from alertmock.gc_tuning import pause_for_start_up, tune_for_serving
from alertmock.process import leave_out_unused_modules, quiet_framework_warnings

if TYPE_CHECKING:
    from connexion import AsyncApp


def app_from_env() -> AsyncApp:
    pause_for_start_up()
    quiet_framework_warnings()
    leave_out_unused_modules()
    from alertmock.app import create_app

    config = Config.from_env()
    app = create_app(config)
    if not config.quiet:
        log_requests_to(sys.stdout)
    tune_for_serving()
    return app
