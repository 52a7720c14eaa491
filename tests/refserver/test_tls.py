"""The reference server's TLS settings: a generated certificate and CA, strong defaults, clear errors."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from carecheck.refserver import ServerTls
from carecheck.refserver.tls import ONE_YEAR


def test_a_generated_certificate_comes_with_its_ca_and_strong_defaults(tmp_path: Path) -> None:
    tls = ServerTls.generate(tmp_path / "tls")
    assert tls.ca_certificate == tmp_path / "tls" / "ca.pem" and tls.ca_certificate.read_text().startswith("-----BEGIN CERTIFICATE-----")
    assert tls.private_key.stat().st_mode & 0o077 == 0, "the key is readable by its owner only"
    assert (tls.minimum_version, tls.hsts_max_age) == (ssl.TLSVersion.TLSv1_2, ONE_YEAR)
    context = tls.context()
    assert context.minimum_version == ssl.TLSVersion.TLSv1_2
    assert all("GCM" in suite["name"] or "CHACHA20" in suite["name"] for suite in context.get_ciphers())


def test_a_certificate_that_cannot_be_used_is_a_value_error_naming_it(tmp_path: Path) -> None:
    tls = ServerTls.generate(tmp_path)
    broken = ServerTls(tls.certificate, tmp_path / "missing.key")
    with pytest.raises(ValueError, match=r"cannot use the certificate .*server.pem"):
        broken.context()
