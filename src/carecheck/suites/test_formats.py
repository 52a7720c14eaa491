"""The content negotiation scenarios: Accept and _format for metadata, a read and a search, and JSON/XML parity."""

from pytest_bdd import scenarios

from carecheck.project import FEATURES

scenarios("formats", features_base_dir=str(FEATURES))
