"""The pages a person looks at: the dashboard at ``/__mock/`` and the Swagger UI home pages.

The dashboard (``static/``: HTML, CSS and plain JavaScript, no build step, nothing fetched from
elsewhere) reads and drives the mock through the control API only, so whatever it shows a script
can get too. ``/`` redirects to it.
"""

from alertmock.dashboard.pages import DashboardPages

__all__ = ["DashboardPages"]
