"""HTTP for the harness: the recording FHIR client, the Exchange record, and redaction of secrets."""

from carecheck.http.client import FHIR_JSON, FHIR_XML, FhirClient, shared_http_client
from carecheck.http.exchange import Exchange, RecordedRequest, RecordedResponse
from carecheck.http.handshake import (
    CERTIFICATE_REFUSED,
    HANDSHAKE_REFUSED,
    NO_CONNECTION,
    NOT_OFFERED,
    TLS_NOTE,
    TlsOffer,
    probe_certificate,
    probe_tls,
)
from carecheck.http.interaction import Interaction, InteractionKind
from carecheck.http.politeness import Pacer
from carecheck.http.redaction import REDACTED, Redactor
from carecheck.http.tokens import TOKEN_NOTE, decode_segment, token_note
from carecheck.http.trust import trust_store

__all__ = [
    "CERTIFICATE_REFUSED",
    "FHIR_JSON",
    "FHIR_XML",
    "HANDSHAKE_REFUSED",
    "NOT_OFFERED",
    "NO_CONNECTION",
    "REDACTED",
    "TLS_NOTE",
    "TOKEN_NOTE",
    "Exchange",
    "FhirClient",
    "Interaction",
    "InteractionKind",
    "Pacer",
    "RecordedRequest",
    "RecordedResponse",
    "Redactor",
    "TlsOffer",
    "decode_segment",
    "probe_certificate",
    "probe_tls",
    "shared_http_client",
    "token_note",
    "trust_store",
]
