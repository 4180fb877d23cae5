"""The run's credentials, obtained the way each vendor's clients do, and checked again at the end.

A vendor's client module (``handlers/<vendor>/client.py``, named by the contract) provides
``authenticate(url, **options) -> (headers per security scheme, learnt ids)`` and may provide
``throwaway(url, **options)`` (a credential of its own for an operation that revokes the one it
is sent) and ``discover_ids(url, headers)``. Their failures (``ValueError``) and the network's
become one-line `VerifyError`s.
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import httpx

from alertmock.tools.verify.document import Operation
from alertmock.tools.verify.stops import VerifyError

Headers = dict[str, str]


@dataclass
class Credentials:
    # Headers per security scheme name, in the order of preference (the first the operation accepts wins).
    schemes: dict[str, Headers] = field(default_factory=dict)
    # Ids learnt while signing in (Tableau's site), used as path parameters.
    learnt: dict[str, str] = field(default_factory=dict)

    def for_operation(self, operation: Operation) -> Headers:
        """The headers of the preferred scheme this operation accepts ({} for a public one)."""
        for scheme, headers in self.schemes.items():
            if scheme in operation.security:
                return headers
        return {}

    @property
    def headers(self) -> Headers:
        """The preferred scheme's headers (what most operations get)."""
        return next(iter(self.schemes.values()), {})


@contextlib.contextmanager
def plain_errors(url: str) -> Iterator[None]:
    """Network failures and a vendor client's refusals as one line naming the URL."""
    try:
        yield
    except ValueError as exc:
        raise VerifyError(str(exc)) from None
    except httpx.TimeoutException:
        raise VerifyError(f"{url}: no answer within the request timeout") from None
    except httpx.HTTPError as exc:
        reason = str(exc) or type(exc).__name__
        raise VerifyError(f"cannot reach {url}: {reason}") from None


def obtain(client: ModuleType, url: str, options: Mapping[str, Any]) -> Credentials:
    with plain_errors(url):
        schemes, learnt = client.authenticate(url, **options)
    return Credentials(dict(schemes), dict(learnt))


def throwaway(client: ModuleType, url: str, options: Mapping[str, Any]) -> Credentials | None:
    """A credential for one revoking call, or None when the vendor's options cannot mint one."""
    mint = getattr(client, "throwaway", None)
    if mint is None:
        return None
    with plain_errors(url):
        schemes = mint(url, **options)
    return None if schemes is None else Credentials(dict(schemes))


def discover(
    client: ModuleType,
    url: str,
    credentials: Credentials,
    timeout: float,
    known: Mapping[str, str] | None = None,
    avoid: Collection[str] = (),
) -> dict[str, str]:
    """Ids the deployment shows this credential (the vendor's way), or {} when it has no way.

    ``known``: the ids found so far (a list may need its parents); ``avoid``: ids the user gave as
    expendable, never chosen as the parent every other operation works under."""
    find = getattr(client, "discover_ids", None)
    if find is None:
        return {}
    with plain_errors(url):
        return dict(find(url, credentials.headers, timeout=timeout, known=dict(known or {}), avoid=set(avoid)))


def still_accepted(
    url: str, credentials: Credentials, operations: list[Operation], ids: Mapping[str, str], timeout: float
) -> str | None:
    """Whether the run's credential still works: one authenticated GET whose path is fully known.

    Returns None when it does (or no such GET exists), else the one-line reason.
    """
    for operation in operations:
        if operation.method != "GET" or not operation.secured:
            continue
        if not all(name in ids for name in operation.path_parameters):
            continue
        path = operation.path
        for name in operation.path_parameters:
            path = path.replace("{" + name + "}", ids[name])
        with plain_errors(url):
            answer = httpx.get(url + path, headers=credentials.for_operation(operation), timeout=timeout)
        if answer.status_code in (401, 403):
            return f"the run's credential no longer works: GET {path} answered {answer.status_code} after the run"
        return None
    return None
