"""Why verification stopped or failed, and the exit code each reason gives."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """``alertmock verify``'s exit codes, most serious first when several apply."""

    OK = 0
    # A Schemathesis check failed: the deployment answered something the contract does not allow.
    FAILED = 1
    # Verification could not run: bad options, nothing listening, a refused sign-in; or what the run
    # created on a deployment could not all be removed.
    ERROR = 2
    # Some selected operation never answered 2xx, so the run says nothing about it.
    UNTESTED = 3
    # The run's credential was refused (most authenticated cases got 401/403, or it died mid-run).
    CREDENTIAL_REFUSED = 4


class VerifyError(Exception):
    """Verification could not start or finish; the message is one line a person can act on."""
