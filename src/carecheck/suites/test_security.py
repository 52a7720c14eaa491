"""The security scenarios: access tokens (a matrix of forged ones), scopes, TLS, and Spine Security Proxy audit JWTs."""

from pytest_bdd import scenarios

from carecheck.project import FEATURES

scenarios("security", features_base_dir=str(FEATURES))
