"""The user-story scenarios, each judged whole: medication reconciliation, results review, typical summary, get record."""

from pytest_bdd import scenarios

from carecheck.project import FEATURES

scenarios("stories", features_base_dir=str(FEATURES))
