"""The TLS scenarios' probes: handshakes offering old protocol versions and weak suites, plain HTTP, the certificate.

Probes run only against an https base URL (a plain-http target makes the TLS scenarios not
applicable, with the reason). Each probe is recorded in the scenario's evidence through its client.
Old versions and weak suites are offered at OpenSSL security level 0, so that this machine does
not refuse them on the server's behalf; what the machine cannot offer at all is noted, not judged.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

from carecheck.checks import NotApplicable
from carecheck.http import FhirClient, Interaction, TlsOffer, probe_certificate, probe_tls

__all__ = ["MODERN", "OLD_VERSIONS", "WEAK_SUITES", "TlsProbes"]

_ANY_SUITE = "DEFAULT:@SECLEVEL=0"
OLD_VERSIONS = {
    "TLS 1.0": TlsOffer("TLS 1.0 only", ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1, _ANY_SUITE),
    "TLS 1.1": TlsOffer("TLS 1.1 only", ssl.TLSVersion.TLSv1_1, ssl.TLSVersion.TLSv1_1, _ANY_SUITE),
}
"""The protocol versions a server must refuse, each offered alone."""

WEAK_SUITES = {
    name: TlsOffer(f"TLS 1.2 with {name} suites only", ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_2, f"{suites}:@SECLEVEL=0")
    for name, suites in {
        "NULL (no encryption)": "eNULL",
        "anonymous (no authentication)": "aNULL",
        "EXPORT": "EXPORT",
        "DES": "DES",
        "3DES": "3DES",
        "RC4": "RC4",
        "MD5": "MD5",
    }.items()
}
"""The cipher suite families a server must refuse, each offered alone over TLS 1.2 (TLS 1.3 has none of them)."""

MODERN = TlsOffer("TLS 1.2 or higher with the default suites", ssl.TLSVersion.TLSv1_2)


class TlsProbes:
    """Probes the TLS of the target at `client.base_url`, recording each probe through `client`."""

    def __init__(self, *, client: FhirClient, trust: ssl.SSLContext, timeout: float) -> None:
        self._client = client
        self._trust = trust
        self._timeout = timeout

    def require_https(self) -> None:
        if not self._client.base_url.startswith("https://"):
            raise NotApplicable(f"the base URL {self._client.base_url} is not https: the TLS scenarios apply to https targets")

    def old_versions(self) -> Interaction:
        return self._probes(OLD_VERSIONS.values())

    def modern(self) -> Interaction:
        return self._probes([MODERN])

    def weak_suites(self) -> Interaction:
        return self._probes(WEAK_SUITES.values())

    def certificate(self) -> Interaction:
        exchange = probe_certificate(self._client.base_url, self._trust, exchange_id="", timeout=self._timeout, redactor=self._client.redactor)
        return Interaction("request", None, (self._client.record(exchange),))

    def plain_http(self) -> Interaction:
        """`GET metadata` over plain HTTP: at the https URL's port, or port 80 when it uses the default 443 (no token sent)."""
        parts = urlsplit(self._client.base_url)
        host = f"[{parts.hostname}]" if parts.hostname and ":" in parts.hostname else parts.hostname
        netloc = f"{host}:{parts.port}" if parts.port else host
        plain = urlunsplit(("http", netloc, f"{parts.path.rstrip('/')}/metadata", "", ""))
        return Interaction("request", None, (self._client.send("GET", plain, authorize=False),))

    def metadata(self) -> Interaction:
        return self._client.capabilities()

    def _probes(self, offers: Iterable[TlsOffer]) -> Interaction:
        exchanges = [
            self._client.record(probe_tls(self._client.base_url, offer, exchange_id="", timeout=self._timeout, redactor=self._client.redactor))
            for offer in offers
        ]
        return Interaction("request", None, tuple(exchanges))
