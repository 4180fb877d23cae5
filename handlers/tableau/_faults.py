"""Tableau's documented errors, one constructor each, so handlers raise them by name.

Each carries Tableau's error code and summary (in `extra`); `errors.render` writes them.
The summaries and details are the document's error tables, word for word where it has them.
"""

from __future__ import annotations

from alertmock import ApiError, BadRequestError, ForbiddenError, NotFoundError, UnauthorizedError


def _error(cls: type[ApiError], code: str, summary: str, detail: str) -> ApiError:
    return cls(detail, code=code, extra={"summary": summary})


def signin_failed() -> ApiError:
    return _error(UnauthorizedError, "401001", "Signin Error", "Error signing in to Tableau Server")


def version_too_old(path: str) -> ApiError:
    return _error(
        NotFoundError,
        "404003",
        "Resource Not Found",
        f"Unknown resource '{path}' specified in URI: data-driven alerts need REST API version 3.2 or later.",
    )


def site_not_found(site_id: str) -> ApiError:
    return _error(
        NotFoundError,
        "404000",
        "Site not found",
        f"The site ID or URL namespace in the URI doesn't correspond to an existing site: '{site_id}'.",
    )


def alert_not_found(alert_id: str) -> ApiError:
    return _error(
        NotFoundError,
        "409023",
        "Resource Not Found",
        f"The data-driven alert ID specified in the URI is invalid: '{alert_id}'.",
    )


def user_not_found(user_id: str, where: str = "in the request body") -> ApiError:
    return _error(
        NotFoundError,
        "404002",
        "Resource Not Found",
        f"The user ID specified {where} is invalid: '{user_id}'.",
    )


def read_forbidden() -> ApiError:
    return _error(
        ForbiddenError,
        "403004",
        "Read forbidden",
        "A user queried this method who does not have the required permissions",
    )


def write_forbidden() -> ApiError:
    return _error(
        ForbiddenError,
        "403004",
        "Write forbidden",
        "A user called this method who does not have the required permissions.",
    )


def delete_forbidden() -> ApiError:
    return _error(
        ForbiddenError,
        "403004",
        "Delete forbidden",
        "A user called this method who does not have the required permissions",
    )


def page_size_limit_exceeded(page_size: int, maximum: int) -> ApiError:
    return _error(
        ForbiddenError,
        "403014",
        "Page size limit exceeded",
        f"The specified page size ({page_size}) is larger than the maximum page size ({maximum}).",
    )


def invalid_page_number(page_number: int, last_page: int) -> ApiError:
    return _error(
        BadRequestError,
        "400006",
        "Invalid page number",
        f"The page number ({page_number}) is greater than the final page number ({last_page})"
        " at the requested page size.",
    )


def adding_recipient_forbidden() -> ApiError:
    return _error(
        ForbiddenError,
        "409028",
        "Adding recipient to data-driven alert forbidden",
        "The user is not authorized to add the recipient to the data-driven alert.",
    )


def deleting_recipient_forbidden() -> ApiError:
    return _error(
        ForbiddenError,
        "409029",
        "Deleting recipient from data-driven alert forbidden",
        "The user is not authorized to remove the recipient from the data-driven alert.",
    )


def updating_alert_forbidden() -> ApiError:
    return _error(
        ForbiddenError,
        "409030",
        "Updating data-driven alert forbidden",
        "The user is not authorized to update the data-driven alert.",
    )
