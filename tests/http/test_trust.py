"""The trust store: the default CAs plus the target's CA bundle; never no verification."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from carecheck.errors import ConfigError
from carecheck.http import trust_store
from carecheck.refserver import ServerTls


def test_certificates_are_verified_and_a_bundle_adds_its_ca(tmp_path: Path) -> None:
    default = trust_store()
    assert default.verify_mode is ssl.CERT_REQUIRED and default.check_hostname
    tls = ServerTls.generate(tmp_path)
    assert tls.ca_certificate is not None
    added = trust_store(tls.ca_certificate)
    assert len(added.get_ca_certs()) == len(default.get_ca_certs()) + 1


def test_a_bundle_that_is_not_pem_certificates_is_a_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pem"
    bad.write_text("not a certificate")
    with pytest.raises(ConfigError, match=r"ca_bundle: .* is not a readable PEM file"):
        trust_store(bad)
