"""`alertmock proxy`'s upstream options: one URL for every vendor, or one per vendor of the contract."""

from __future__ import annotations

import re

import pytest

from alertmock.cli import build_parser
from alertmock.proxy.command import upstreams_from, vendor_flags

VENDORS = ["tableau", "matatika", "scalingo"]


def test_vendor_flags_route_each_vendor_and_the_rest_to_the_default() -> None:
    argv = vendor_flags(
        [
            *("proxy", "--upstream", "https://staging.example", "--port", "9"),
            *("--upstream-tableau", "https://tab.example", "--upstream-scalingo=https://api.osc-fr1.scalingo.com/?x=1"),
        ]
    )
    args = build_parser().parse_args(argv)
    upstreams = upstreams_from(args.upstream, VENDORS)
    assert upstreams.for_vendor("tableau") == "https://tab.example"
    assert upstreams.for_vendor("scalingo") == "https://api.osc-fr1.scalingo.com/?x=1"
    assert upstreams.for_vendor("matatika") == "https://staging.example"
    assert args.port == 9


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([], "no upstream"),
        (["salesforce=https://x.example"], "the contract's vendors are tableau, matatika, scalingo"),
        (["ftp://x.example"], "not an http(s) URL"),
        (["https://a.example", "https://b.example"], "twice"),
    ],
)
def test_bad_upstreams_are_refused_with_a_reason(values: list[str], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        upstreams_from(values, VENDORS)
