"""The token matrices as data, and the forge that makes each bad token from a real one."""

from __future__ import annotations

import re
import time
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from carecheck.auth import SPINE_CASES, TOKEN_CASES, ForgeUnavailable, TokenCase, TokenForge, edited_claims, load_matrix, public_key_pems, unverified
from carecheck.errors import ConfigError
from carecheck.project import FEATURES, data_path
from carecheck.refserver.security.keys import SigningKey

SIGNING_KEY = data_path("keys", "carecheck-refserver-rs256.private.pem")
SERVER = SigningKey.from_pem(SIGNING_KEY)
BASE = "http://fhir.test/STU3"


def real_token(**changes: object) -> str:
    now = int(time.time())
    claims = {
        "iss": "http://fhir.test/auth",
        "aud": BASE,
        "sub": "c",
        "scope": "system/*.read",
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "jti": "j",
        **changes,
    }
    return SERVER.sign(claims, typ="at+jwt")


def verify(token: str) -> dict[str, object]:
    claims: dict[str, object] = jwt.decode(
        token, SERVER.public_key, algorithms=["RS256"], audience=BASE, options={"verify_exp": False, "verify_nbf": False, "verify_iat": False}
    )
    return claims


def forge(case_id: str, **kwargs: object) -> str | None:
    matrix = load_matrix(TOKEN_CASES)
    return TokenForge(real_token(), base_url=BASE, trusted_key=SIGNING_KEY).forge(matrix.case(case_id), **kwargs).authorization  # type: ignore[arg-type]


def answers(feature: str) -> dict[str, str]:
    """Each case of the feature's Examples tables, with the answer its row says the server must give."""
    found: dict[str, str] = {}
    for line in (FEATURES / "security" / feature).read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")] if line.strip().startswith("|") else []
        if len(cells) == 2 and cells != ["case", "answer"]:
            found[cells[0]] = cells[1]
    return found


def test_every_matrix_case_is_a_row_of_its_feature_and_the_reverse() -> None:
    assert sorted(answers("tokens.feature")) == sorted(load_matrix(TOKEN_CASES).cases)
    assert sorted(answers("spine.feature")) == sorted(load_matrix(SPINE_CASES).cases)


def test_the_feature_says_what_each_case_must_be_answered_with() -> None:
    tokens, spine = answers("tokens.feature"), answers("spine.feature")
    assert tokens["lower-case-bearer"] == "served", "RFC 7235 §2.1: the scheme is case-insensitive"
    assert {answer for case, answer in tokens.items() if case != "lower-case-bearer"} == {"refused with 401"}
    assert set(spine.values()) == {"refused with 400 or 401"}, "GP Connect answers 400, OAuth 2 resource servers 401"
    assert all(re.fullmatch(r"served|refused with \d{3}( or \d{3})*", answer) for answer in (*tokens.values(), *spine.values())), (
        "a sentence a Then step judges"
    )


def test_an_unknown_case_is_named() -> None:
    with pytest.raises(KeyError, match="no token case 'nope'"):
        load_matrix(TOKEN_CASES).case("nope")


def test_headers_and_schemes_are_sent_as_the_case_says() -> None:
    assert forge("no-header") is None
    assert forge("empty-token") == "Bearer"
    token = real_token()
    assert TokenForge(token, base_url=BASE).forge(load_matrix(TOKEN_CASES).case("lower-case-bearer")).authorization == f"bearer {token}"
    basic = forge("basic-scheme")
    assert basic is not None and basic.startswith("Basic ey")
    garbage = forge("garbage")
    assert garbage is not None and garbage.startswith("Bearer ") and unverified(garbage[7:]) is None
    malformed = forge("malformed-jwt")
    assert malformed is not None and malformed.count(".") == 2 and unverified(malformed[7:]) is None


def test_alg_none_carries_the_real_claims_unsigned() -> None:
    token = (forge("alg-none") or "").removeprefix("Bearer ")
    decoded = unverified(token)
    assert token.endswith(".") and decoded is not None
    assert decoded[0]["alg"] == "none" and decoded[1]["sub"] == "c"


def test_a_signature_altered_or_made_by_another_key_does_not_verify() -> None:
    for case in ("signature-altered", "unknown-key"):
        token = (forge(case) or "").removeprefix("Bearer ")
        assert unverified(token) is not None
        with pytest.raises(jwt.InvalidSignatureError):
            verify(token)


def test_key_confusion_signs_hs256_with_the_servers_public_key() -> None:
    pem = public_key_pems({"keys": [dict(SERVER.public_jwk)]}, SERVER.kid)[0]
    token = (forge("hs256-key-confusion", server_key_pem=pem) or "").removeprefix("Bearer ")
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    assert pem == SERVER.public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    with pytest.raises(ForgeUnavailable, match=r"needs the server.s RSA public key"):
        forge("hs256-key-confusion")


@pytest.mark.parametrize(("case", "claim", "expected"), [("expired", "exp", -3600), ("not-yet-valid", "nbf", 3600), ("issued-in-the-future", "iat", 3600)])
def test_claim_cases_are_validly_signed_with_only_their_claim_changed(case: str, claim: str, expected: int) -> None:
    claims = verify((forge(case) or "").removeprefix("Bearer "))
    assert abs(int(claims[claim]) - int(time.time()) - expected) <= 2  # type: ignore[call-overload]
    assert claims["sub"] == "c" and claims["scope"] == "system/*.read"


def test_claim_cases_need_the_servers_signing_key() -> None:
    case = load_matrix(TOKEN_CASES).case("wrong-audience")
    with pytest.raises(ForgeUnavailable, match=r"auth.token_signing_key is not set"):
        TokenForge(real_token(), base_url=BASE).forge(case)


def test_without_a_real_token_claims_are_made_up_and_the_as_issued_cases_are_unavailable() -> None:
    forge_ = TokenForge(None, base_url=BASE)
    made_up = unverified((forge_.forge(load_matrix(TOKEN_CASES).case("alg-none")).authorization or "")[7:])
    assert made_up is not None and made_up[1]["aud"] == BASE
    with pytest.raises(ForgeUnavailable, match="gives no token"):
        forge_.forge(load_matrix(TOKEN_CASES).case("lower-case-bearer"))


def test_notes_say_how_the_token_was_forged() -> None:
    forged = TokenForge(real_token(), base_url=BASE).forge(load_matrix(TOKEN_CASES).case("unknown-key"))
    assert forged.notes == ("forged: unknown-key: the real claims signed by a key the server does not know", "forged from the real token's header and claims")


def test_edits_reach_into_nested_claims_and_name_what_is_missing() -> None:
    claims = {"a": {"b": [{"c": 1}]}, "x": 1}
    case = TokenCase(id="t", title="t", set={"/a/b/0/c": 2, "n": "now+10"}, remove=("x",))
    edited = edited_claims(claims, case, 100)
    assert edited == {"a": {"b": [{"c": 2}]}, "n": 110} and claims["x"] == 1
    with pytest.raises(ValueError, match="case t: the claims have no"):
        edited_claims({}, TokenCase(id="t", title="t", remove=("/missing/x",)), 0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cases: 3", "a mapping with a 'cases' list"),
        ("cases:\n  - {id: a}", "cases[0]: a case is a mapping with an id and a title"),
        ("cases:\n  - {id: a, title: t, expect: refused}", "unknown field 'expect'"),
        ("cases:\n  - {id: a, title: t, sign: magic}", "sign must be one of"),
        ("cases:\n  - {id: a, title: t, colour: red}", "unknown field 'colour'"),
        ("cases:\n  - {id: a, title: t}\n  - {id: a, title: t}", "id 'a' is used twice"),
    ],
)
def test_a_malformed_matrix_is_a_config_error_naming_the_case(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_matrix(path)


def test_the_signing_key_is_read_for_every_token_and_loaded_once_per_content(tmp_path: Path) -> None:
    """Loading an RSA key checks it (milliseconds): a key file is loaded once per content, so a changed file signs
    with its new key and a file turned bad is still a configuration error."""
    key_file = tmp_path / "key.pem"
    key_file.write_bytes(SIGNING_KEY.read_bytes())
    matrix = load_matrix(TOKEN_CASES)

    def forged() -> str:
        made = TokenForge(real_token(), base_url=BASE, trusted_key=key_file).forge(matrix.case("expired")).authorization
        assert made is not None
        return made.removeprefix("Bearer ")

    assert verify(forged()) and verify(forged())  # the server's key, twice
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file.write_bytes(other.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    with pytest.raises(jwt.InvalidSignatureError):
        verify(forged())  # the file's new key, not the one loaded before
    key_file.write_text("not a key")
    with pytest.raises(ConfigError, match="not a readable, unencrypted PEM private key"):
        forged()
