"""The recorded request as a curl command: pasteable, and with no secret in it."""

from __future__ import annotations

import shlex

from carecheck.http import RecordedRequest
from carecheck.report import curl_command


def test_a_search_becomes_a_curl_with_the_token_as_a_variable() -> None:
    request = RecordedRequest(
        "GET",
        "https://fhir.test/STU3/Patient?family=O'Neil&_count=2",
        (("host", "fhir.test"), ("accept", "application/fhir+json"), ("authorization", "Bearer [REDACTED]"), ("user-agent", "carecheck")),
    )
    command = curl_command(request)
    assert command == (
        "curl -X GET 'https://fhir.test/STU3/Patient?family=O'\"'\"'Neil&_count=2' \\\n"
        "  -H 'accept: application/fhir+json' \\\n"
        '  -H "authorization: Bearer $TOKEN"'
    )
    words = shlex.split(command.replace("\\\n", ""), posix=True)
    assert words[:4] == ["curl", "-X", "GET", "https://fhir.test/STU3/Patient?family=O'Neil&_count=2"]
    assert "authorization: Bearer $TOKEN" in words


def test_a_redacted_form_field_becomes_a_variable_and_the_rest_stays_literal() -> None:
    request = RecordedRequest(
        "POST",
        "https://fhir.test/auth/token",
        (("content-type", "application/x-www-form-urlencoded"),),
        b'grant_type=client_credentials&client_secret=[REDACTED]&note=$HOME"`',
    )
    command = curl_command(request)
    assert command.endswith('--data-binary "grant_type=client_credentials&client_secret=$SECRET&note=\\$HOME\\"\\`"')
    assert "[REDACTED]" not in command
