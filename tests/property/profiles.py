"""Hypothesis profiles for the property suite, chosen with HYPOTHESIS_PROFILE:

- `default`: sized for CI (the whole suite well under a minute on two cores, local PostgreSQL);
- `thorough`: ten times the examples, longer runs, for a deliberate bug hunt (~5 minutes).

Each test runs a share of the active profile's max_examples (`share`), so one setting scales
the whole suite. Both profiles inherit from the profile Hypothesis chose at import (its `ci`
profile on a CI runner), and change only examples, steps, deadline and health checks."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

PROFILE_VARIABLE = "HYPOTHESIS_PROFILE"

_inherited = settings.get_profile(settings.get_current_profile_name())
settings.register_profile(
    "default",
    _inherited,
    max_examples=80,
    stateful_step_count=35,
    deadline=None,  # requests through a database have no meaningful per-example deadline
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "thorough", settings.get_profile("default"), max_examples=800, stateful_step_count=50
)
settings.load_profile(os.environ.get(PROFILE_VARIABLE, "default"))


def share(fraction: float) -> settings:
    """The active profile, running `fraction` of its examples (at least one)."""
    active = settings.default
    assert active is not None
    return settings(active, max_examples=max(1, round(active.max_examples * fraction)))
