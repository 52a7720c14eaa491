"""The clinical record scenarios: allergies, problems, procedures, observations, encounters, medicines, immunisations."""

from pytest_bdd import scenarios

from carecheck.project import FEATURES

scenarios("clinical", features_base_dir=str(FEATURES))
