"""Two independent implementations agree: every resource the reference server serves passes carecheck's profile validation."""

from __future__ import annotations

from collections import Counter

from carecheck.fhir import Severity, validate
from carecheck.refserver.seed import seed_resources


def test_every_seeded_resource_validates_with_no_errors() -> None:
    resources = list(seed_resources(20))
    kinds = Counter(resource["resourceType"] for resource in resources)
    assert len(kinds) == 14, kinds
    errors = [f"{r['resourceType']}/{r['id']}: {i.describe()}" for r in resources for i in validate(r) if i.severity is Severity.ERROR]
    assert not errors, "\n".join(errors[:20])
