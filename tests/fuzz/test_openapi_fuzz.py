"""schemathesis fuzzes the app's own OpenAPI schema, in process, the way its CLI does with
`--checks all`: every phase (the schema's examples, coverage of each boundary and missing
part, random valid and invalid input, stateful sequences following Location headers) and
every check but one. FUZZ_EXAMPLES sets the examples per operation (CI: 40; see the README
for the larger run).

Driven as a library (schemathesis' engine): its pytest plugin does not run under pytest 9.

The one check left out, and why it does not apply:
- positive_data_acceptance ("a schema-valid request is accepted"): three answers the contract
  requires cannot be told apart from the schema. `cursor` is an opaque token that only the
  service issues and that needs `limit` (OpenAPI cannot tie one query parameter to another);
  an `Idempotency-Key` used before with another body is `422 IDEMPOTENCY_KEY_REUSED`; an
  `If-Match` naming another ETag is `412`. Each is valid by the schema and refused by design.
  Its mirror, negative_data_rejection, does apply and runs: the schema states the body rules
  exactly (the title's trimming and length as a pattern, no NUL, no unknown fields).
Checks that run but have nothing to check in header mode, and say so by passing: ignored_auth
and object_level_authorization look at declared security schemes (X-User-ID is a plain
header parameter). max_response_time runs with the contract's outer bound, 7 seconds."""

import os
from collections import Counter

import pytest
import schemathesis
from fastapi import FastAPI
from schemathesis.engine import events, from_schema

from tests.support.apps import memory_app, postgres_app

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
OPERATIONS = 8  # 5 todo operations, /api/v1/tags (v1.2), /health, /health/ready
NOT_APPLICABLE = ["positive_data_acceptance"]
MAX_RESPONSE_SECONDS = 7.0


@pytest.fixture(params=["memory", "postgres"])
def fuzzed_app(request: pytest.FixtureRequest) -> FastAPI:
    if request.param == "memory":
        return memory_app()
    return postgres_app(request.getfixturevalue("postgres_engine"))


def _configured_schema(app: FastAPI) -> schemathesis.BaseSchema:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    schema.config.generation.update(
        max_examples=EXAMPLES, modes=["positive", "negative"], database="none"
    )
    schema.config.checks.update(
        included_check_names=["all"],
        excluded_check_names=NOT_APPLICABLE,
        max_response_time=MAX_RESPONSE_SECONDS,
    )
    schema.config.phases.update(phases=["examples", "coverage", "fuzzing", "stateful"])
    return schema


def test_every_operation_answers_as_documented_under_every_check(fuzzed_app: FastAPI) -> None:
    schema = _configured_schema(fuzzed_app)
    assert len([result.ok() for result in schema.get_all_operations()]) == OPERATIONS

    failures: list[str] = []
    errors: list[str] = []
    cases: Counter[str] = Counter()
    checks_run: set[str] = set()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            cases[event.phase.value] += len(event.recorder.cases)
            for case_id, checks in event.recorder.checks.items():
                for check in checks:
                    checks_run.add(check.name)
                    if check.failure_info is not None:
                        case = event.recorder.cases[case_id].value
                        failure = check.failure_info.failure
                        failures.append(
                            f"{check.name}: {case.method} {case.formatted_path}: "
                            f"{failure.title}\n{failure.message}"
                        )
        elif isinstance(event, events.NonFatalError | events.FatalError):
            errors.append(repr(event))

    print(f"\nschemathesis: {sum(cases.values())} cases", dict(cases), sorted(checks_run))
    assert not errors, errors
    assert not failures, "\n\n".join(dict.fromkeys(failures))
    assert {"negative_data_rejection", "response_schema_conformance"} <= checks_run
    assert cases["fuzzing"] >= OPERATIONS and cases["coverage"] > 0
