"""The property-based search scenarios: hypothesis generates searches from the target's own records."""

from pytest_bdd import scenarios

scenarios("properties")
