"""The regression scenarios: searches a target's baseline pins, asked again on its known dataset."""

from pytest_bdd import scenarios

scenarios("regression")
