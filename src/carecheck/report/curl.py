"""A recorded request as a `curl` command a tester can paste to reproduce it, with no secret in it.

The recorded request is already redacted; a redacted bearer token becomes `$TOKEN` and any other redacted
value `$SECRET`, so the command runs once the tester has set those variables. Headers the HTTP client adds
by itself (Host, Content-Length, Accept-Encoding, Connection, User-Agent) are left out.
"""

from __future__ import annotations

import shlex

from carecheck.http import REDACTED, RecordedRequest

__all__ = ["curl_command"]

_CLIENT_HEADERS = frozenset({"host", "content-length", "accept-encoding", "connection", "user-agent"})


def _quoted(text: str, variable: str) -> str:
    """`text` for the shell: single-quoted as it is, or double-quoted with each redaction a variable."""
    if REDACTED not in text:
        return shlex.quote(text)
    pieces = [piece.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace("$", "\\$") for piece in text.split(REDACTED)]
    return '"' + variable.join(pieces) + '"'


def _header(name: str, value: str) -> str:
    scheme = value.partition(" ")[0].lower()
    variable = "$TOKEN" if name.lower() == "authorization" and scheme == "bearer" else "$SECRET"
    return f"-H {_quoted(f'{name}: {value}', variable)}"


def curl_command(request: RecordedRequest) -> str:
    """`curl -X GET 'https://…' -H 'Accept: …' -H "Authorization: Bearer $TOKEN"`, one option per line."""
    parts = [f"curl -X {request.method} {_quoted(request.url, '$SECRET')}"]
    parts += [_header(name, value) for name, value in request.headers if name.lower() not in _CLIENT_HEADERS]
    if request.body:
        parts.append(f"--data-binary {_quoted(request.body.decode('utf-8', 'replace'), '$SECRET')}")
    return " \\\n  ".join(parts)
