"""An app factory for servers that take an import string (uvicorn --reload, several workers)."""

from __future__ import annotations

import sys
from typing import Any

from alertmock.app.config import Config
from alertmock.app.gc_tuning import pause_for_start_up, tune_for_serving
from alertmock.framework import leave_out_unused_modules, quiet_framework_warnings
from alertmock.layers.edge import log_requests_to


def app_from_env() -> Any:
    pause_for_start_up()
    quiet_framework_warnings()
    leave_out_unused_modules()
    from alertmock.app.factory import create_app

    config = Config.from_env()
    app = create_app(config)
    if app.engine.notice:
        # Each worker builds its own app; the serving process printed the notice in its banner.
        print(app.engine.notice, file=sys.stderr, flush=True)
    if not config.quiet:
        log_requests_to(sys.stdout)
    tune_for_serving()
    return app
