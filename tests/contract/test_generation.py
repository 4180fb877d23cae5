from __future__ import annotations

import re

import pytest
from openapi_schema_validator import OAS30Validator

from alertmock.contract.generation import Generator

PATTERNS = [
    r"^\d+$",
    r"^al-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
    r"^\d+\.\d+$",
    r"^([0-9]+h)?([0-9]+m)?[0-9]+(\.[0-9]+)?(ns|µs|ms|s)$",
    r"^[^/]+$",
    r"^(once|frequently|hourly)$",
    r"^\w+@\w+\.com$",
]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_strings_match_their_pattern(pattern: str) -> None:
    generator = Generator(seed=1)
    for _ in range(20):
        assert re.search(pattern, generator.value({"type": "string", "pattern": pattern}))


def test_generated_objects_validate_against_their_schema() -> None:
    schema = {
        "type": "object",
        "required": ["id", "frequency", "created"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "frequency": {"type": "string", "enum": ["once", "daily"]},
            "created": {"type": "string", "format": "date-time"},
            "limit": {"type": "number", "minimum": 0, "maximum": 1},
            "count": {"type": "integer", "minimum": 5, "maximum": 5},
            "duration": {"allOf": [{"type": "string", "pattern": r"^\d+s$"}], "description": "kept a string"},
            "tags": {"type": "array", "items": {"type": "string"}, "minItems": 2},
        },
    }
    for seed in range(10):
        value = Generator(seed).value(schema)
        assert list(OAS30Validator(schema).iter_errors(value)) == []
        assert value["count"] == 5 and len(value["tags"]) >= 2


def test_names_drive_realistic_content() -> None:
    value = Generator(seed=2).value(
        {"type": "object", "properties": {"email": {"type": "string"}, "subject": {"type": "string"}}}
    )
    assert "@" in value["email"]
    assert len(value["subject"].split()) >= 3  # a sentence, not a lone word


def test_same_seed_same_data() -> None:
    schema = {"type": "object", "properties": {"name": {"type": "string"}, "n": {"type": "integer"}}}
    assert Generator(4).value(schema) == Generator(4).value(schema)
    assert Generator(4).value(schema) != Generator(5).value(schema)
