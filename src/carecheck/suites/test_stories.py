"""The user-story scenarios, each judged whole: medication reconciliation, results review, typical summary, get record."""

from pytest_bdd import scenarios

scenarios("stories")
