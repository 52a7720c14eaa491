"""The directory scenarios: practitioners, their roles, organisations, locations and medicines."""

from pytest_bdd import scenarios

scenarios("directory")
