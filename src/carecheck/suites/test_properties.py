"""The property-based search scenarios: hypothesis generates searches from the target's own records."""

from pytest_bdd import scenarios

from carecheck.project import FEATURES

scenarios("properties", features_base_dir=str(FEATURES))
