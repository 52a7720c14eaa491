"""The Patient read and search scenarios."""

from pytest_bdd import scenarios

from carecheck.project import FEATURES

scenarios("patient", features_base_dir=str(FEATURES))
