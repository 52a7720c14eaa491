"""The security scenarios: access tokens (a matrix of forged ones), scopes, TLS, and Spine Security Proxy audit JWTs."""

from pytest_bdd import scenarios

scenarios("security")
