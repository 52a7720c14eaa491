"""Reading what a server sent: JSON and XML behind a nesting limit, URLs it links to, and text that is not text.

Every parser of a server's bytes goes through here, so a hostile body (200,000 levels deep, not UTF-8,
an unparseable URL) is a `ValueError` with a readable reason, never a `RecursionError` or another
exception a step would not expect. Nesting is measured on the bytes before anything is parsed.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

import httpx

__all__ = ["DEPTH_CEILING", "UnreadableBody", "nests_deeper_than", "parse_json", "parse_url", "printable"]

DEPTH_CEILING = 200
"""The deepest a document may nest before no parser reads it (the ceiling of `limits.max_depth`)."""


class UnreadableBody(ValueError):
    """The bytes cannot be read as the document they claim to be; the message completes "the body is ..."."""


_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_XML_SKIPPED = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!.*?>", re.DOTALL)
_XML_TAG = re.compile(rb"<(/?)[^<>]*?(/?)>", re.DOTALL)
_NOT_BRACKETS = bytes(range(256)).translate(None, b"[]{}")
_BOM = b"\xef\xbb\xbf"
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def nests_deeper_than(body: bytes, limit: int) -> bool:
    """Whether a JSON or XML document nests more than `limit` levels (arrays and objects, or elements).

    Measured on the bytes, before any parser sees them; strings, comments and CDATA are skipped, so
    brackets in text do not count. A body that is neither JSON nor XML never nests.
    """
    stripped = body.lstrip().removeprefix(_BOM).lstrip()
    if stripped[:1] in (b"{", b"["):
        if body.count(b"{") + body.count(b"[") <= limit:
            return False  # it cannot nest deeper than it has openings
        brackets = _JSON_STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
        return max(accumulate((_STEP[byte] for byte in brackets), initial=0)) > limit
    if stripped[:1] == b"<":
        if body.count(b"<") <= limit:
            return False
        tags = _XML_TAG.findall(_XML_SKIPPED.sub(b"", body))
        return max(accumulate((-1 if close else 0 if empty else 1 for close, empty in tags), initial=0)) > limit
    return False


def parse_json(body: bytes | str, *, max_depth: int = DEPTH_CEILING) -> Any:
    """The JSON value of `body`; UnreadableBody when it is not JSON, not UTF-8, or nests deeper than `max_depth`."""
    raw = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    if nests_deeper_than(raw, max_depth):
        raise UnreadableBody(f"JSON nesting deeper than {max_depth} levels, which carecheck does not read")
    try:
        return json.loads(body)
    except RecursionError:
        raise UnreadableBody("JSON nesting too deeply to read") from None
    except (ValueError, UnicodeError) as error:
        raise UnreadableBody(f"not valid JSON ({printable(str(error))})") from None


def parse_url(text: str) -> httpx.URL | None:
    """A URL a server linked to, or None when it is not one httpx can send a request to."""
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, ValueError, TypeError, UnicodeError):
        return None
    if url.scheme not in ("http", "https") or not url.host or not 0 < (url.port or 80) < 65536:
        return None
    return url


def printable(text: str) -> str:
    """`text` with any lone surrogate (a `\\ud800` from a JSON string) written as its escape, so it can be encoded as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text
