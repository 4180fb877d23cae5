"""Schemathesis' hooks module for verify's run (``SCHEMATHESIS_HOOKS=alertmock.tools.verify.hooks``).

Schemathesis imports it in its own process; that import is the one place where verify's additions
are installed, by explicit calls, from the plan the parent process wrote. Nothing else imports it.
"""

from pathlib import Path

from alertmock.tools.verify.auth import install
from alertmock.tools.verify.custody import Custody
from alertmock.tools.verify.deletion import register_deletion_check
from alertmock.tools.verify.guard import install_guard
from alertmock.tools.verify.plan import Plan
from alertmock.tools.verify.xml_responses import register_xml_deserializer

register_xml_deserializer()
register_deletion_check()
plan = Plan.from_environment()
install(plan)
if plan.custody is not None and plan.ledger:
    install_guard(plan, Custody.from_json(plan.custody), Path(plan.ledger))
