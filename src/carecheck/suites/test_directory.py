"""The directory scenarios: practitioners, their roles, organisations, locations and medicines."""

from pytest_bdd import scenarios

from carecheck.project import FEATURES

scenarios("directory", features_base_dir=str(FEATURES))
