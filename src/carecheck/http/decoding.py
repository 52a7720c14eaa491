"""Undoing a response's Content-Encoding chunk by chunk, never producing more than the body cap.

httpx inflates each chunk whole before the client can count it, so 1 MB of gzip on the wire (or 2 KB
of gzip inside gzip) became gigabytes in memory. Here every layer inflates at most `PIECE` bytes at a
time, lazily, and the client stops reading as soon as the decoded size passes its cap: memory stays at a
few pieces per layer whatever the server sends. Only the codings carecheck asks for are decoded.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator, Sequence

__all__ = ["ACCEPT_ENCODING", "DecodingFailed", "codings", "decoded"]

ACCEPT_ENCODING = "gzip, deflate"
"""The codings carecheck asks for, and the only ones it decodes."""
PIECE = 64 * 1024
_GZIP = zlib.MAX_WBITS | 16
_ZLIB = zlib.MAX_WBITS
_RAW = -zlib.MAX_WBITS
_KNOWN = {"gzip": _GZIP, "x-gzip": _GZIP, "deflate": _ZLIB}


class DecodingFailed(ValueError):
    """The body does not decode as its Content-Encoding says; the message says which coding and why."""


def codings(header_values: Sequence[str]) -> tuple[list[str], list[str]]:
    """The Content-Encoding codings in the order applied, and those carecheck cannot decode (`identity` dropped)."""
    applied = [part.strip().lower() for value in header_values for part in value.split(",") if part.strip()]
    applied = [coding for coding in applied if coding != "identity"]
    return applied, [coding for coding in applied if coding not in _KNOWN]


def decoded(raw: Iterable[bytes], applied: Sequence[str]) -> Iterator[bytes]:
    """The decoded body, piece by piece: the last coding applied is undone first."""
    stream: Iterable[bytes] = raw
    for coding in reversed(applied):
        stream = _inflate(stream, coding)
    return iter(stream)


def _inflate(chunks: Iterable[bytes], coding: str) -> Iterator[bytes]:
    """One coding undone lazily; output comes in pieces of at most `PIECE` bytes, however dense the input."""
    wbits = _KNOWN[coding]
    inflater = zlib.decompressobj(wbits)
    started = members = 0
    for chunk in chunks:
        data = chunk
        while data:
            try:
                piece = inflater.decompress(data, PIECE)
            except zlib.error as error:
                if members:
                    return  # bytes after a complete gzip member that are not another: ignored, as httpx does
                if not started and wbits == _ZLIB:  # `deflate` sent as a raw deflate stream, as some servers do
                    wbits, inflater, started = _RAW, zlib.decompressobj(_RAW), 1
                    continue
                raise DecodingFailed(f"the body does not decode as {coding} ({error})") from None
            started = 1
            if piece:
                yield piece
            data = inflater.unconsumed_tail
            while not data and len(piece) == PIECE and not inflater.eof:
                piece = inflater.decompress(b"", PIECE)  # output still held back by the piece size
                if piece:
                    yield piece
            if inflater.eof:
                members += 1
                data = data or inflater.unused_data
                if not data.strip(b"\0"):
                    break
                inflater = zlib.decompressobj(wbits)  # gzip allows several members one after another
