"""A `Finding`: one way an exchange broke the contract, short enough for a response header.

Findings are data (kind, where, message); the header line, the violations listing, the 502 body
and the reports are all written from them. The kinds:

    undocumented            the contract has no operation for this method and path
    request.security        none of the operation's security requirements is met by the credentials sent
    request.query|path|header|cookie   a parameter missing or of the wrong shape
    request.content-type    a request body in a media type the operation does not accept
    request.body            the request body does not match its schema
    response.status         a status the operation does not document
    response.content-type   a media type the operation does not document for that status
    response.headers        a header the response documents as required is missing
    response.body           the response body does not match its schema (or does not parse)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jsonschema import ValidationError

# A header line stays readable in a terminal and well under any proxy's header size limit.
MAX_MESSAGE_CHARS = 160


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str
    where: str
    message: str

    @property
    def location(self) -> str:
        """The kind and, when there is one, the pointer or parameter name: ``response.body /alert/limit``."""
        return f"{self.kind} {self.where}" if self.where else self.kind

    def header(self) -> str:
        """One ``Alertmock-Violation`` value: latin-1, one line."""
        text = f"{self.location}: {self.message}"
        return " ".join(text.split()).encode("latin-1", "replace").decode("latin-1")

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "location": self.location, "message": self.message}


def schema_finding(kind: str, error: ValidationError) -> Finding:
    """A jsonschema error as a finding: where in the document (a JSON pointer), and what was expected."""
    path = [str(part) for part in error.absolute_path]
    if error.validator == "required" and "'" in error.message:
        return Finding(kind, _pointer([*path, error.message.split("'")[1]]), "required property missing")
    if error.validator == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return Finding(kind, _pointer(path), f"expected {' or '.join(map(str, expected))}")
    return Finding(kind, _pointer(path), shorten(error.message))


def shorten(message: str) -> str:
    line = " ".join(str(message).split())
    return line if len(line) <= MAX_MESSAGE_CHARS else line[: MAX_MESSAGE_CHARS - 3] + "..."


def _pointer(path: list[str]) -> str:
    return "/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in path)
