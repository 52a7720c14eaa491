"""The Patient read and search scenarios."""

from pytest_bdd import scenarios

scenarios("patient")
