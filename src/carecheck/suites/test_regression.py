"""The regression scenarios: searches a target's baseline pins, asked again on its known dataset."""

from pytest_bdd import scenarios

from carecheck.project import FEATURES

scenarios("regression", features_base_dir=str(FEATURES))
