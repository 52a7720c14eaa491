"""The embedded Care Connect reference server: the harness's default target, a supplier's sandbox and its test double.

A Starlette app over an in-memory SQLite store, seeded with Care Connect Patients, answering
the read-only Care Connect API (FHIR STU3) under ``/STU3`` in JSON and XML. It shares no code with
the harness's own search rules (``carecheck.search``) or checks, so each can catch the other's mistakes.
"""

from carecheck.refserver.app import create_app
from carecheck.refserver.embedded import EmbeddedServer, serve
from carecheck.refserver.security import SecuritySettings
from carecheck.refserver.tls import ServerTls

__all__ = ["EmbeddedServer", "SecuritySettings", "ServerTls", "create_app", "serve"]
