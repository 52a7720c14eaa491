"""The capability statement scenarios."""

from pytest_bdd import scenarios

from carecheck.project import FEATURES

scenarios("capability", features_base_dir=str(FEATURES))
