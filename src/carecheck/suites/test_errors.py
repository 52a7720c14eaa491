"""The error scenarios: not found, invalid searches, unknown parameters, writes on the read-only API, media types."""

from pytest_bdd import scenarios

from carecheck.project import FEATURES

scenarios("errors", features_base_dir=str(FEATURES))
