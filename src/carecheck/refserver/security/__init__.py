"""The reference server's security: an OAuth2 token endpoint, and a guard checking RS256 tokens and SMART scopes.

``secure(app, settings)`` puts a FHIR app behind bearer tokens and adds ``POST /auth/token``
(``client_credentials`` with a client secret or a SMART Backend Services assertion), ``GET /auth/jwks``
and ``GET /STU3/.well-known/smart-configuration``; ``capability_security`` is the matching
CapabilityStatement ``rest.security``. The demo clients are in ``data/refserver/clients.yaml``.
In ``spine`` mode the guard checks a Spine Security Proxy audit JWT instead; ``StrictTransport``
adds HSTS to answers given over HTTPS.
"""

from carecheck.refserver.security.app import secure
from carecheck.refserver.security.clients import Client
from carecheck.refserver.security.discovery import capability_security
from carecheck.refserver.security.hsts import StrictTransport
from carecheck.refserver.security.settings import SecuritySettings

__all__ = ["Client", "SecuritySettings", "StrictTransport", "capability_security", "secure"]
