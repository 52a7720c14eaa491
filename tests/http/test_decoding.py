"""Content-Encoding undone piece by piece: every coding carecheck asks for, and bombs that never inflate whole."""

from __future__ import annotations

import gzip
import itertools
import tracemalloc
import zlib

import pytest

from carecheck.http.decoding import ACCEPT_ENCODING, PIECE, DecodingFailed, codings, decoded

DOCUMENT = b'{"resourceType": "Patient", "id": "z"}' * 500


def chunks(data: bytes, size: int = 1000) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


@pytest.mark.parametrize(
    ("coding", "encoded"),
    [
        ("gzip", gzip.compress(DOCUMENT)),
        ("x-gzip", gzip.compress(DOCUMENT)),
        ("deflate", zlib.compress(DOCUMENT)),
        ("deflate", zlib.compress(DOCUMENT)[2:-4]),  # raw deflate, as some servers send it
    ],
    ids=["gzip", "x-gzip", "deflate", "raw-deflate"],
)
def test_each_coding_carecheck_asks_for_decodes(coding: str, encoded: bytes) -> None:
    assert b"".join(decoded(chunks(encoded), [coding])) == DOCUMENT


def test_codings_are_undone_last_applied_first() -> None:
    twice = gzip.compress(zlib.compress(DOCUMENT))
    assert b"".join(decoded(chunks(twice), ["deflate", "gzip"])) == DOCUMENT


def test_several_gzip_members_follow_each_other_and_junk_after_them_is_ignored() -> None:
    members = gzip.compress(b"ab") + gzip.compress(b"cd")
    assert b"".join(decoded([members], ["gzip"])) == b"abcd"
    assert b"".join(decoded([members + b"trailing junk"], ["gzip"])) == b"abcd"


def test_a_body_that_does_not_decode_says_which_coding() -> None:
    with pytest.raises(DecodingFailed, match="does not decode as gzip"):
        b"".join(decoded([b"this is not gzip"], ["gzip"]))


def test_codings_lists_what_was_applied_and_what_carecheck_cannot_decode() -> None:
    assert codings(["gzip, identity", "br"]) == (["gzip", "br"], ["br"])
    assert codings([]) == ([], [])
    assert ACCEPT_ENCODING == "gzip, deflate"


def test_a_bomb_inflates_a_piece_at_a_time_and_only_as_far_as_it_is_read() -> None:
    """256 MB of zeros in about 256 KB of gzip, and in gzip inside gzip: reading 20 MB of it holds a few pieces."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16, 9, zlib.Z_RLE)
    bomb = b"".join(compressor.compress(bytes(1 << 20)) for _ in range(256)) + compressor.flush()
    for applied, encoded in ((["gzip"], bomb), (["gzip", "gzip"], gzip.compress(bomb))):
        tracemalloc.start()
        pieces = decoded(chunks(encoded, 65536), applied)
        read = sum(len(piece) for piece in itertools.islice(pieces, (20 << 20) // PIECE))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert read == 20 << 20
        assert peak < 4 * 1024 * 1024, f"{applied}: {peak} bytes held to read 20 MB"
        assert all(len(piece) <= PIECE for piece in itertools.islice(decoded(chunks(encoded, 65536), applied), 50))
