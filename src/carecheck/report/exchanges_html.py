"""HTML for recorded exchanges: the request as a copy-paste `curl`, the response status, headers and body.

Bodies are shown pretty-printed when they are JSON and cut at a limit (the evidence file, linked, holds
them whole); a passing scenario's exchanges show no body at all, so a report of thousands of exchanges
stays a few megabytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json

from carecheck.evidence import INLINE_BYTES, ExchangeRecord
from carecheck.http import RecordedResponse
from carecheck.http.untrusted import UnreadableBody, parse_json
from carecheck.report.curl import curl_command

__all__ = ["WHOLE_BYTES", "body_text", "escape", "exchange_html", "response_text"]

WHOLE_BYTES = 64_000
"""How much of a body a failure shows."""


def escape(text: object) -> str:
    return html.escape(str(text), quote=True)


def body_text(response: RecordedResponse, limit: int) -> str:
    """The body as text, JSON pretty-printed, cut at `limit` characters with a note of what was left out."""
    raw = response.body
    if not raw:
        return "(empty body)"
    text = raw.decode("utf-8", "replace")
    if "json" in response.content_type:
        with contextlib.suppress(UnreadableBody, RecursionError):
            text = json.dumps(parse_json(raw), indent=2, ensure_ascii=False)
    if len(text) > limit:
        return f"{text[:limit]}\n… ({len(text) - limit} more characters: open the evidence file)"
    return text


def response_text(response: RecordedResponse, limit: int | None, shown_as: str | None = None) -> str:
    """`HTTP/1.1 200`, the headers, a blank line, then the body (with no `limit`, only its size; when the same body
    was `shown_as` somewhere above, a pointer there)."""
    headers = "\n".join(f"{name}: {value}" for name, value in response.headers)
    cut = " (cut off at the size or time limit)" if response.truncated else ""
    if shown_as is not None:
        body = f"(the same {len(response.body)} bytes of body as {shown_as} above)"
    else:
        body = body_text(response, limit) if limit is not None else f"({len(response.body)} bytes of body: open the evidence file)"
    return f"{response.http_version} {response.status}{cut}\n{headers}\n\n{body}"


def exchange_html(
    record: ExchangeRecord, *, limit: int | None = None, opened: bool = False, shown: set[str] | None = None, bodies: dict[str, str] | None = None
) -> str:
    """One exchange as a collapsible block: summary line, evidence link, curl, notes and the response.

    A note already in `shown` (an earlier exchange of the same scenario, carrying the same token) is
    referred to rather than repeated; new notes are added to it. Likewise a body larger than a few
    kilobytes already in `bodies` (by sha256, with where it was shown) is pointed to, not shown again,
    so a report of many failures on one big answer stays the size of that answer.
    """
    exchange = record.exchange
    status = str(exchange.response.status) if exchange.response else "no response"
    bad = exchange.response is None or exchange.response.status >= 400
    seen = shown if shown is not None else set()
    notes = "".join("<li>as on the exchange above</li>" if note in seen else f"<li>{escape(note)}</li>" for note in exchange.notes)
    seen.update(exchange.notes)
    shown_as = None
    if exchange.response is not None and bodies is not None and len(exchange.response.body) > INLINE_BYTES:
        digest = hashlib.sha256(exchange.response.body).hexdigest()
        shown_as = bodies.get(digest)
        bodies.setdefault(digest, f"the answer to {exchange.request.line}")
    response = (
        f"<pre class=response>{escape(response_text(exchange.response, limit, shown_as))}</pre>"
        if exchange.response
        else f"<p class=error>No response: {escape(exchange.error)}</p>"
    )
    error = f"<p class=error>{escape(exchange.error)}</p>" if exchange.error and exchange.response else ""
    return (
        f"<details class=exchange{' open' if opened else ''}><summary><code>{escape(exchange.request.method)} {escape(exchange.request.url)}</code>"
        f" → <span class='status{' bad' if bad else ''}'>{escape(status)}</span> · {exchange.elapsed_ms:.1f} ms</summary>"
        f"<p>Evidence: <a href='{escape(record.path)}'>{escape(record.path.rsplit('/', 1)[-1])}</a> · sent {escape(exchange.started)}</p>"
        f"<h5>Request as curl <small>(set TOKEN to a valid access token first)</small></h5><pre class=curl>{escape(curl_command(exchange.request))}</pre>"
        + (f"<h5>Notes</h5><ul class=notes>{notes}</ul>" if notes else "")
        + f"<h5>Response</h5>{error}{response}</details>"
    )
