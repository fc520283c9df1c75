"""schemathesis fuzzes every operation of the app's own OpenAPI schema, in process, with valid
and invalid input (X-User-ID included): no 500, and every answer has a documented status,
content type, headers and body schema. FUZZ_EXAMPLES sets examples per operation and mode
(CI: 40; see the README for the larger run).

Driven as a library (operation strategies under hypothesis' own @given): schemathesis' pytest
plugin does not run under pytest 9."""

import os
from collections import Counter
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support.apps import memory_app, postgres_app

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
OPERATIONS = 8  # 5 todo operations, /api/v1/tags (v1.2), /health, /health/ready
# Not schemathesis' positive_data_acceptance / negative_data_rejection: JSON Schema cannot say
# "1..255 characters after trimming Unicode whitespace, no U+0000", so a schema-valid title
# may be rejected and a padded 256-character one accepted. The rules are in the field
# descriptions; the HTTP and property suites test them exactly.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(params=["memory", "postgres"])
def fuzzed_app(request: pytest.FixtureRequest) -> FastAPI:
    if request.param == "memory":
        return memory_app()
    return postgres_app(request.getfixturevalue("postgres_engine"))


def fuzz(operation: Any, mode: GenerationMode, statuses: Counter[tuple[str, int]]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def answers_as_documented(case: schemathesis.Case) -> None:
        response = case.call_and_validate(checks=CHECKS)
        statuses[(operation.label, response.status_code)] += 1

    answers_as_documented()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_answers_as_documented(fuzzed_app: FastAPI, mode: GenerationMode) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzzed_app)
    statuses: Counter[tuple[str, int]] = Counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == OPERATIONS
    for operation in operations:
        if mode is GenerationMode.NEGATIVE and operation.path.startswith("/health"):
            continue  # no input to make invalid
        fuzz(operation, mode, statuses)
    assert all(status < 500 for _, status in statuses)
    total = sum(statuses.values())
    print(f"\nschemathesis {mode.value}: {total} cases", dict(sorted(statuses.items())))
