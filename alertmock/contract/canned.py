"""Answers from the contract itself: a documented example, or data generated from the schema.

Used when a request's preferences choose the response (``Prefer: code=…, example=…, dynamic=…``)
and for operations that have no handler yet. The vendor's wire format holds: the media type is
negotiated like any other answer, and an example quoted as XML in the documents is converted
when the client asks for JSON.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from starlette.responses import Response

from alertmock.app.context import current_request, current_runtime
from alertmock.contract import xml
from alertmock.contract.document import Operation
from alertmock.contract.document import Response as ContractResponse
from alertmock.contract.negotiation import is_xml, negotiate, serialise
from alertmock.contract.preferences import Preferences
from alertmock.errors import BadRequestError
from alertmock.layers.error_boundary import error_for_status, render

NO_PREFERENCES = Preferences()


def canned_response(operation: Operation, preferences: Preferences = NO_PREFERENCES) -> Response:
    status = _status(operation, preferences)
    response = operation.responses.get(str(status))
    if response is None or (status >= 400 and _speaks_of_another_request(response, preferences)):
        return _vendor_error(status, response)
    if not response.content:
        return Response(status_code=status)
    media_type = negotiate(tuple(response.content), current_request().headers.get("accept"))
    schema = response.content[media_type].get("schema", {})
    examples = _examples(response.content, media_type)
    if preferences.example is not None:
        value = examples[preferences.example]
    elif preferences.dynamic or not examples:
        generator = current_runtime().generator
        if preferences.seed is not None:
            generator = generator.with_seed(preferences.seed)
        value = generator.body(schema)
    else:
        value = next(iter(examples.values()))
    return Response(serialise(value, media_type, schema), status_code=status, media_type=media_type)


def _speaks_of_another_request(response: ContractResponse, preferences: Preferences) -> bool:
    """An error whose documented examples are a shared component's (about another resource): the
    vendor's own error for this request says more, unless an example or generated data was asked for."""
    return bool(response.content) and response.shared and preferences.example is None and not preferences.dynamic


def _vendor_error(status: int, response: ContractResponse | None) -> Response:
    """The error the vendor answers to this request, in its format (path, timestamp, codes), with
    the operation's own description of it as the message (a shared one describes many)."""
    own = response is not None and not response.shared and response.description.strip()
    error = error_for_status(status, own or HTTPStatus(status).phrase)
    return render(current_request(), error, current_runtime())


def _status(operation: Operation, preferences: Preferences) -> int:
    documented = sorted(operation.responses, key=lambda s: (not s.startswith("2"), s))
    if preferences.code is not None:
        answerable = current_runtime().contract.answerable_statuses(operation)
        if preferences.code not in answerable:
            raise BadRequestError(
                f"Prefer: code={preferences.code} is not an answer {operation.method} {operation.path} documents;"
                f" it can answer {', '.join(map(str, answerable))}"
            )
        return preferences.code
    if preferences.example is not None:
        for status in documented:
            for media_type in operation.responses[status].content:
                if preferences.example in operation.responses[status].examples(media_type):
                    return int(status)
        names = sorted(
            {n for s in documented for m in operation.responses[s].content for n in operation.responses[s].examples(m)}
        )
        raise BadRequestError(
            f"Prefer: example={preferences.example} is not documented for {operation.method} {operation.path};"
            f" its examples are {', '.join(names) or 'none'}"
        )
    return int(documented[0]) if documented and documented[0] != "default" else 200


def _examples(content: dict[str, dict[str, Any]], media_type: str) -> dict[str, Any]:
    """Examples for `media_type`, borrowing (and converting) another media type's when it has none."""
    own = _named(content[media_type])
    if own:
        return own
    for other, media in content.items():
        borrowed = _named(media)
        if not borrowed:
            continue
        schema = media.get("schema", {})
        return {
            name: xml.loads(value.encode(), schema) if is_xml(other) and isinstance(value, str) else value
            for name, value in borrowed.items()
        }
    return {}


def _named(media: dict[str, Any]) -> dict[str, Any]:
    found = {name: ex.get("value") for name, ex in media.get("examples", {}).items() if "value" in ex}
    if not found and "example" in media:
        found["example"] = media["example"]
    return found
