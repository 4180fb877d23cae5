"""`alertmock.contract.redaction`: the contract decides which values are credentials; each is fingerprinted."""

from __future__ import annotations

import hashlib
import io
import logging
import time

import pytest

from alertmock.app.config import DEFAULT_SPEC
from alertmock.contract.document import Contract
from alertmock.contract.redaction import Secrets, credential_values, fingerprint, redact_exchange, redact_query, scrub
from alertmock.layers.edge import AccessLogFormatter, log_request, logger

SIGN_IN = "handlers.tableau.sessions.sign_in"
EXCHANGE = "handlers.scalingo.tokens.exchange_token"


@pytest.fixture(scope="module")
def secrets() -> Secrets:
    return Secrets.from_document(Contract(DEFAULT_SPEC).resolved)


def test_a_fingerprint_is_a_short_sha256() -> None:
    assert fingerprint("tk-us-demo-token") == f"…[sha256:{hashlib.sha256(b'tk-us-demo-token').hexdigest()[:4]}]"
    assert fingerprint("a") != fingerprint("b")


def test_the_contract_names_the_credentials(secrets: Secrets) -> None:
    assert {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-tableau-auth"} <= secrets.headers
    # format: password / writeOnly in the sign-in's request, x-secret in the answers that carry tokens.
    assert secrets.by_operation[SIGN_IN] == {"password", "personalAccessTokenSecret", "token"}
    assert secrets.by_operation[EXCHANGE] == {"token"}
    # An operation whose schemas mark nothing keeps every field in clear.
    assert secrets.by_operation["handlers.scalingo.alerts.list_alerts"] == frozenset()
    # An exchange no operation matched: every field the contract marks anywhere.
    assert secrets.fields_for(None) >= {"password", "personalAccessTokenSecret", "token"}


def test_headers_keep_their_scheme_and_a_fingerprint(secrets: Secrets) -> None:
    exchange = {
        "headers": {
            "authorization": "Bearer matatika-demo-token",
            "x-tableau-auth": "12ab34cd56ef78ab90cd12ef34ab56cd",
            "cookie": "sid=c00kie; theme=dark",
            "accept": "application/json",
        },
        "response": {"headers": {"set-cookie": "sid=n3w-c00kie; Path=/; HttpOnly"}},
    }
    redacted = redact_exchange(exchange, secrets)
    assert redacted["headers"] == {
        "authorization": "Bearer " + fingerprint("matatika-demo-token"),
        "x-tableau-auth": fingerprint("12ab34cd56ef78ab90cd12ef34ab56cd"),
        "cookie": f"sid={fingerprint('c00kie')}; theme={fingerprint('dark')}",
        "accept": "application/json",
    }
    assert redacted["response"]["headers"]["set-cookie"] == f"sid={fingerprint('n3w-c00kie')}; Path=/; HttpOnly"
    assert exchange["headers"]["authorization"] == "Bearer matatika-demo-token"  # a copy; the original stays


def test_xml_and_json_sign_ins_and_their_tokens(secrets: Secrets) -> None:
    xml = redact_exchange(
        {
            "operation_id": SIGN_IN,
            "headers": {"content-type": "application/xml"},
            "body": '<tsRequest><credentials name="admin" password="p&amp;ss"><site contentUrl=""/></credentials></tsRequest>',
            "response": {
                "body": '<tsResponse><credentials token="9f86d081" estimatedTimeToExpiration="1"/></tsResponse>'
            },
        },
        secrets,
    )
    assert f'name="admin" password="{fingerprint("p&ss")}"' in xml["body"]
    assert f'token="{fingerprint("9f86d081")}" estimatedTimeToExpiration="1"' in xml["response"]["body"]
    json = redact_exchange(
        {
            "operation_id": SIGN_IN,
            "body": '{"credentials": {"personalAccessTokenName": "pat", "personalAccessTokenSecret": "s3cr\\u00e9t"}}',
            "response": {"body": '{"credentials": {"token": "9f86d081", "site": {"id": "s"}}}'},
        },
        secrets,
    )
    assert '"personalAccessTokenName":"pat"' in json["body"]
    assert fingerprint("s3cré" + "t") in json["body"] and "s3cr" not in json["body"]
    assert json["response"]["body"] == f'{{"credentials":{{"token":"{fingerprint("9f86d081")}","site":{{"id":"s"}}}}}}'


def test_a_password_equal_to_the_name_leaves_the_name_readable(secrets: Secrets) -> None:
    body = '<tsRequest><credentials name="admin" password="admin"/></tsRequest>'
    redacted = redact_exchange({"operation_id": SIGN_IN, "body": body}, secrets)
    assert redacted["body"] == f'<tsRequest><credentials name="admin" password="{fingerprint("admin")}"/></tsRequest>'


def test_xml_elements_and_a_body_cut_short(secrets: Secrets) -> None:
    element = redact_exchange({"operation_id": SIGN_IN, "body": "<a><ts:password>hunter22</ts:password></a>"}, secrets)
    assert element["body"] == f"<a><ts:password>{fingerprint('hunter22')}</ts:password></a>"
    # The journal cuts long bodies: what is left does not parse, the value still goes.
    cut = redact_exchange({"operation_id": EXCHANGE, "response": {"body": '{"token": "eyJhbGciOi'}}, secrets)
    assert "eyJ" not in cut["response"]["body"]


def test_a_credential_repeated_elsewhere_is_scrubbed_too(secrets: Secrets) -> None:
    # Connexion's 400 quotes the body it refused.
    echoed = redact_exchange(
        {
            "operation_id": SIGN_IN,
            "body": '{"credentials": {"password": "Wr0ng-Pa55word"}}',
            "response": {"body": "{'password': 'Wr0ng-Pa55word'} is not valid under any of the given schemas"},
        },
        secrets,
    )
    assert "Wr0ng" not in str(echoed)
    assert fingerprint("Wr0ng-Pa55word") in echoed["response"]["body"]


def test_basic_credentials_are_found_decoded(secrets: Secrets) -> None:
    values = credential_values({"headers": {"Authorization": "Basic OnRrLXVzLWRlbW8tdG9rZW4="}}, secrets)
    assert {"OnRrLXVzLWRlbW8tdG9rZW4=", ":tk-us-demo-token", "tk-us-demo-token"} <= values
    message = scrub("'tk-us-demo-token' does not match '^Bearer'", values)
    assert message == f"'{fingerprint('tk-us-demo-token')}' does not match '^Bearer'"


def test_a_credential_cut_short_at_the_end_of_a_message_is_scrubbed() -> None:
    # A finding's message is shortened to fit a header: the start of a token is still the token's.
    token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1cy0xIn0.c2lnbmF0dXJl"
    assert scrub(f"'{token[:30]}...", {token}) == f"'{fingerprint(token)}..."
    assert scrub("nothing of it...", {token}) == "nothing of it..."


def test_a_query_credential_is_fingerprinted_in_the_journal_and_the_log_line() -> None:
    document = {
        "components": {"securitySchemes": {"key": {"type": "apiKey", "in": "query", "name": "api_key"}}},
        "paths": {},
    }
    secrets = Secrets.from_document(document)
    assert redact_query("page=2&api_key=s3cret-k3y", secrets) == f"page=2&api_key={fingerprint('s3cret-k3y')}"
    assert redact_exchange({"query": "api_key=s3cret-k3y"}, secrets)["query"] == f"api_key={fingerprint('s3cret-k3y')}"
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(AccessLogFormatter(colour=False))
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        scope = {"method": "GET", "path": "/items", "query_string": b"api_key=s3cret-k3y"}
        log_request(scope, 200, time.perf_counter(), secrets)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert stream.getvalue().startswith(f"GET /items?api_key={fingerprint('s3cret-k3y')} 200 ")


def test_a_form_body_field(secrets: Secrets) -> None:
    form = redact_exchange(
        {
            "operation_id": SIGN_IN,
            "headers": {"content-type": "application/x-www-form-urlencoded"},
            "body": "name=admin&password=hunter22",
        },
        secrets,
    )
    assert form["body"] == f"name=admin&password={fingerprint('hunter22')}"


def test_a_secret_field_holding_a_list_or_an_object_goes_whole(secrets: Secrets) -> None:
    body = '{"credentials": {"password": ["LeakList-5521"], "personalAccessTokenSecret": {"v": "LeakObj-7713"}}}'
    exchange = {"operation_id": SIGN_IN, "body": body, "response": {"body": "bad value LeakList-5521"}}
    found = credential_values(exchange, secrets)
    assert {"LeakList-5521", "LeakObj-7713"} <= found
    redacted = redact_exchange(exchange, secrets)
    assert "Leak" not in redacted["body"] and "Leak" not in redacted["response"]["body"]


def test_an_unclosed_cdata_costs_one_bounded_look_per_element(secrets: Secrets) -> None:
    body = "<tsRequest>" + "<password><![CDATA[" * 2000 + "x" * 60_000
    started = time.perf_counter()
    redacted = redact_exchange({"operation_id": SIGN_IN, "body": body}, secrets)
    # Unbounded, every element scanned to the end of the body: seconds. Bounded: well under that.
    assert time.perf_counter() - started < 1.0
    assert redacted["body"].count("sha256:") >= 1
