"""HTTP for the harness: the recording FHIR client, the Exchange record, and redaction of secrets."""

from carecheck.http.client import FHIR_JSON, FhirClient, shared_http_client
from carecheck.http.exchange import Exchange, RecordedRequest, RecordedResponse
from carecheck.http.interaction import Interaction, InteractionKind
from carecheck.http.redaction import REDACTED, Redactor

__all__ = [
    "FHIR_JSON",
    "REDACTED",
    "Exchange",
    "FhirClient",
    "Interaction",
    "InteractionKind",
    "RecordedRequest",
    "RecordedResponse",
    "Redactor",
    "shared_http_client",
]
