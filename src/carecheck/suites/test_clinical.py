"""The clinical record scenarios: allergies, problems, procedures, observations, encounters, medicines, immunisations."""

from pytest_bdd import scenarios

scenarios("clinical")
