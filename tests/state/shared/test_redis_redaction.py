"""With --state redis://, the journal Redis holds (shared by every process) has no credential in clear."""

from __future__ import annotations

import redis
from starlette.testclient import TestClient

from alertmock import Config, create_app
from alertmock.contract.redaction import fingerprint


def test_the_shared_journal_holds_fingerprints_only(redis_url: str) -> None:
    with TestClient(create_app(Config(seed=1, state=redis_url))) as client:
        answer = client.post("/v1/tokens/exchange", headers={"Authorization": "Basic OnRrLXVzLWRlbW8tdG9rZW4="})
        jwt = answer.json()["token"]
        journal = client.get("/__mock/requests").json()["requests"]
    assert journal[-1]["headers"]["authorization"] == "Basic " + fingerprint("OnRrLXVzLWRlbW8tdG9rZW4=")
    stored = b"".join(redis.Redis.from_url(redis_url).lrange("am:journal", 0, -1))
    assert b"OnRrLXVzLWRlbW8tdG9rZW4=" not in stored and jwt.encode() not in stored
    assert fingerprint(jwt).encode() in stored
