"""Serving the reference server over HTTPS: its certificate, and the TLS versions and cipher suites it accepts.

By default only TLS 1.2 and above, with forward-secret AEAD suites in the guide's order of
preference (AES-GCM with ECDHE, then with DHE; ChaCha20 as well), and HSTS on every answer.
``ServerTls.generate(folder)`` makes a certificate for the loopback names with a throw-away CA
(trustme) and writes the CA's certificate beside it, for ``carecheck run --ca-bundle``.
"""

from __future__ import annotations

import ssl
import warnings
from dataclasses import dataclass
from pathlib import Path

__all__ = ["LOOPBACK_NAMES", "ONE_YEAR", "STRONG_CIPHERS", "ServerTls"]

STRONG_CIPHERS = "ECDHE+AESGCM:DHE+AESGCM:ECDHE+CHACHA20"
"""The TLS 1.2 suites the server accepts (TLS 1.3 suites are all strong and not set here)."""

ONE_YEAR = 31_536_000
"""The HSTS ``max-age`` the server sends, in seconds."""

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
"""The names a generated certificate is valid for."""


@dataclass(frozen=True)
class ServerTls:
    """How the server speaks TLS: a PEM certificate chain and key, the lowest TLS version, the suites, HSTS.

    ``ca_certificate`` is the CA a generated certificate was issued by (clients must trust it);
    ``hsts_max_age`` None sends no ``Strict-Transport-Security``. Weaker settings exist for tests of
    the harness, which must notice them.
    """

    certificate: Path
    private_key: Path
    ca_certificate: Path | None = None
    minimum_version: ssl.TLSVersion = ssl.TLSVersion.TLSv1_2
    ciphers: str = STRONG_CIPHERS
    hsts_max_age: int | None = ONE_YEAR

    def context(self) -> ssl.SSLContext:
        """The server-side SSL context; ValueError naming the file if the certificate or key cannot be used."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # a deliberately weak server for the harness's tests
            context.minimum_version = self.minimum_version
        context.set_ciphers(self.ciphers)
        try:
            context.load_cert_chain(str(self.certificate), str(self.private_key))
        except (OSError, ssl.SSLError) as error:
            raise ValueError(f"cannot use the certificate {self.certificate} with the key {self.private_key}: {error}") from None
        return context

    @classmethod
    def generate(cls, folder: Path, names: tuple[str, ...] = LOOPBACK_NAMES) -> ServerTls:
        """A certificate for ``names`` from a new CA, written to ``folder`` as ``server.pem``, ``server.key`` and ``ca.pem``."""
        import trustme  # only the reference server's --tls needs it

        authority = trustme.CA(organization_name="carecheck reference server (test CA)")
        issued = authority.issue_cert(*names)
        folder.mkdir(parents=True, exist_ok=True)
        certificate, key, ca = folder / "server.pem", folder / "server.key", folder / "ca.pem"
        certificate.write_bytes(b"".join(blob.bytes() for blob in issued.cert_chain_pems))
        key.write_bytes(issued.private_key_pem.bytes())
        key.chmod(0o600)
        authority.cert_pem.write_to_path(str(ca))
        return cls(certificate, key, ca)
