"""The capability statement scenarios."""

from pytest_bdd import scenarios

scenarios("capability")
