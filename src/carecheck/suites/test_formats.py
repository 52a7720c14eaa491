"""The content negotiation scenarios: Accept and _format for metadata, a read and a search, and JSON/XML parity."""

from pytest_bdd import scenarios

scenarios("formats")
