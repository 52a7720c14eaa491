"""Tests for carecheck.refserver.security.clients: the demo clients and the YAML file's validation."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from carecheck.errors import ConfigError
from carecheck.refserver.security import Client
from carecheck.refserver.security.clients import ClientKey, load_clients
from carecheck.refserver.security.settings import DEFAULT_CLIENTS

PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey


def test_the_demo_clients() -> None:
    clients = load_clients(DEFAULT_CLIENTS)
    table = {client.client_id: (client.auth_methods, client.scopes) for client in clients.values()}
    secret = ("client_secret_basic", "client_secret_post")
    assert table == {
        "carecheck-all": (secret, ("system/*.read",)),
        "carecheck-patient-only": (secret, ("system/Patient.read",)),
        "carecheck-backend": (("private_key_jwt",), ("system/*.read",)),
        "carecheck-limited": (secret, ("profile",)),
        "carecheck-patient-context": (secret, ("patient/*.read",)),
        "carecheck-writer": (secret, ("system/*.read", "system/*.write")),
    }
    assert {client.client_id: client.patient for client in clients.values() if client.patient} == {
        "carecheck-patient-context": "2f88064f-8dc3-4763-af75-94faf6b08b18"
    }
    backend = clients["carecheck-backend"]
    rs384, es384 = backend.keys
    assert (rs384.alg, isinstance(rs384.key, rsa.RSAPublicKey), rs384.fits("RS384")) == ("RS384", True, True)
    assert (es384.alg, isinstance(es384.key, ec.EllipticCurvePublicKey), es384.fits("ES384")) == ("ES384", True, True)
    assert rs384.kid and es384.kid


def test_secrets_and_keys_stay_out_of_the_repr() -> None:
    clients = load_clients(DEFAULT_CLIENTS)
    for client in clients.values():
        shown = repr(client)
        assert client.secret is None or client.secret not in shown
        assert "key" not in shown


def test_a_secret_matches_only_itself() -> None:
    client = Client("c", (), secret="s3cret")
    assert client.secret_matches("s3cret")
    assert not client.secret_matches("s3cre")
    assert not client.secret_matches("")
    assert not Client("k", (), keys=(ClientKey(_rsa()),)).secret_matches("")


@pytest.fixture(scope="module")
def public_keys() -> Mapping[str, PublicKey]:
    return {"rsa": _rsa(), "p384": _ec(ec.SECP384R1()), "p256": _ec(ec.SECP256R1())}


@pytest.mark.parametrize(
    ("alg", "key", "registered_alg", "fits"),
    [
        ("RS384", "rsa", None, True),
        ("RS384", "rsa", "RS384", True),
        ("RS384", "rsa", "RS256", False),
        ("ES384", "rsa", None, False),
        ("ES384", "p384", None, True),
        ("RS384", "p384", None, False),
        ("ES384", "p256", None, False),
        ("PS384", "rsa", None, False),
    ],
)
def test_which_key_fits_an_assertion(public_keys: Mapping[str, PublicKey], alg: str, key: str, registered_alg: str | None, fits: bool) -> None:
    assert ClientKey(public_keys[key], alg=registered_alg).fits(alg) is fits


def test_a_pem_public_key_registers_a_client(tmp_path: Path) -> None:
    pem = tmp_path / "client.pem"
    pem.write_bytes(_ec(ec.SECP384R1()).public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    path = _yaml(tmp_path, "clients:\n  - client_id: pem-client\n    public_key: client.pem\n    scopes: [system/Patient.read]\n")
    client = load_clients(path)["pem-client"]
    assert (client.auth_methods, client.keys[0].kid, client.keys[0].alg) == (("private_key_jwt",), None, None)
    assert client.keys[0].fits("ES384")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("- just a list\n", "expected a mapping with a 'clients' list"),
        ("clients: {a: 1}\n", "expected a mapping with a 'clients' list"),
        ("clients: [: bad\n", "is not valid YAML"),
        ("clients:\n  - just-a-string\n", "clients[0]: a client is a mapping"),
        ("clients:\n  - {client_id: a, secret: s, colour: red}\n", "clients[0]: unknown field 'colour'"),
        ("clients:\n  - {secret: s}\n", "clients[0]: client_id: required"),
        ("clients:\n  - {client_id: '', secret: s}\n", "clients[0]: client_id: must be a non-empty string"),
        ("clients:\n  - {client_id: a, secret: 12}\n", "clients[0]: secret: must be a non-empty string"),
        ("clients:\n  - {client_id: a}\n", "clients[0]: a: needs a secret, jwks or public_key to authenticate with"),
        (
            "clients:\n  - {client_id: a, secret: s, scopes: system/*.read}\n",
            "clients[0]: scopes: must be a list of strings",
        ),
        (
            "clients:\n  - {client_id: a, secret: s, scopes: [system/*.raed]}\n",
            "clients[0]: scopes: 'system/*.raed' is not a scope (SMART scopes look like system/Patient.read)",
        ),
        (
            "clients:\n  - {client_id: a, secret: s}\n  - {client_id: a, secret: t}\n",
            "clients[1]: client_id 'a' is registered twice",
        ),
        (
            "clients:\n  - {client_id: a, secret: s, scopes: [patient/*.read], patient: 'p/1'}\n",
            "clients[0]: patient: 'p/1' is not a FHIR id",
        ),
        (
            "clients:\n  - {client_id: a, secret: s, scopes: [system/*.read], patient: p1}\n",
            "clients[0]: patient: a patient context goes with patient/ scopes",
        ),
        ("clients:\n  - {client_id: a, jwks: missing.json}\n", "clients[0]: jwks: cannot read"),
        ("clients:\n  - {client_id: a, jwks: not-a-jwks.json}\n", "clients[0]: jwks:"),
        ("clients:\n  - {client_id: a, jwks: private.json}\n", "must hold public keys only"),
        ("clients:\n  - {client_id: a, public_key: p256.pem}\n", "keys must be RSA or EC P-384 public keys"),
        ("clients:\n  - {client_id: a, public_key: not-a-jwks.json}\n", "is not a readable PEM public key"),
    ],
)
def test_an_invalid_file_is_a_config_error_naming_the_problem(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / "not-a-jwks.json").write_text('{"keys": []}')
    (tmp_path / "private.json").write_text('{"keys": [{"kty": "oct", "k": "c2VjcmV0", "d": "x"}]}')
    (tmp_path / "p256.pem").write_bytes(_ec(ec.SECP256R1()).public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    path = _yaml(tmp_path, text)
    with pytest.raises(ConfigError, match="^" + str(path).replace("\\", "\\\\")) as raised:
        load_clients(path)
    assert problem in str(raised.value)


def test_an_unreadable_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_clients(tmp_path / "absent.yaml")


def _yaml(folder: Path, text: str) -> Path:
    path = folder / "clients.yaml"
    path.write_text(text)
    return path


def _rsa() -> rsa.RSAPublicKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()


def _ec(curve: ec.EllipticCurve) -> ec.EllipticCurvePublicKey:
    return ec.generate_private_key(curve).public_key()
