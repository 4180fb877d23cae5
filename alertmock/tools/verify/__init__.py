"""``alertmock verify``: Schemathesis against a deployment (or the mock) for one vendor's operations.

A green run means the deployment was tested: the run's credential survives (revoking operations get
a throwaway one), parent ids come from the deployment, every selected operation answered 2xx at
least once, and the run's credential still works at the end.

| module | what |
|---|---|
| `contract` | the bundled contract, each vendor's operations and client module |
| `credentials` | obtaining, minting and re-checking credentials through the vendor's client |
| `ids` | parent ids: --set-path, --ids, sign-in, discovery, the mock's fixtures |
| `plan`, `auth`, `hooks` | what the Schemathesis process installs: auth providers, the XML deserializer |
| `peers` | the second identity for object_level_authorization |
| `deletion` | the check that every 2xx DELETE really deleted |
| `custody`, `guard` | against a deployment: changes only on the run's own resources, and the clean-up |
| `xml_responses` | Tableau's XML answers read by their schema |
| `tolerances` | the statuses one check accepts on one operation, and why |
| `coverage` | per-operation table and the verdict (exit codes in `errors`) |
| `run`, `cli` | one run; the subcommand's options |

Nothing here has an import-time side effect; Schemathesis is imported only when a run needs it.
"""

from alertmock.tools.verify.credentials import Credentials, obtain
from alertmock.tools.verify.document import bundled_document, operations, tag_regex, vendor_client, vendor_names
from alertmock.tools.verify.local_server import serve_in_thread
from alertmock.tools.verify.run import VerifyOptions, VerifyResult, run, schemathesis_command
from alertmock.tools.verify.stops import ExitCode, VerifyError
from alertmock.tools.verify.tolerances import TOLERANCES, schemathesis_settings
from alertmock.tools.verify.xml_responses import register_xml_deserializer

__all__ = [
    "TOLERANCES",
    "Credentials",
    "ExitCode",
    "VerifyError",
    "VerifyOptions",
    "VerifyResult",
    "bundled_document",
    "obtain",
    "operations",
    "register_xml_deserializer",
    "run",
    "schemathesis_command",
    "schemathesis_settings",
    "serve_in_thread",
    "tag_regex",
    "vendor_client",
    "vendor_names",
]
