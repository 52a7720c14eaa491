"""The security scenarios' requests: forged tokens, Patient-only and patient-context clients, Spine audit JWTs.

`SecurityProbes` is what the security steps call. Every request goes through the scenario's recording
client, so forged tokens are evidence like any other request (a note says how each was forged; the
token itself shows only as its decoded header and claims). What a target gives nothing to test with
(no real token, no JWKS, no signing key the server trusts, no Patient-only or patient-context client,
another auth type) makes the scenario not applicable, with the reason. (Writes with a read token are
`carecheck.probe.writes`' harmless write probes.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NoReturn

from carecheck.auth import (
    Forged,
    ForgeUnavailable,
    Matrix,
    SpineJwt,
    TokenCase,
    TokenForge,
    TokenProvider,
    public_key_pems,
)
from carecheck.capability import Capabilities
from carecheck.checks import NotApplicable
from carecheck.config import Target
from carecheck.fhir import BodyError, parse_resource, patient_of
from carecheck.http import Exchange, FhirClient, Interaction
from carecheck.search import default_registry

__all__ = ["SecurityProbes"]

_CONTROL = TokenCase(id="control", title="the real claims unchanged, signed with auth.token_signing_key", sign="trusted-key")


def _not_applicable(reason: str) -> NoReturn:
    raise NotApplicable(reason)


def _status(exchange: Exchange) -> str:
    return str(exchange.status) if exchange.status is not None else f"nothing ({exchange.error})"


def _listed(exchange: Exchange) -> list[dict[str, Any]]:
    """The resources of a searchset answered with 200 (none for any other answer)."""
    try:
        bundle = parse_resource(exchange) if exchange.status == 200 else {}
    except BodyError:
        return []
    entry_list = bundle.get("entry")
    entries = entry_list if isinstance(entry_list, list) else []
    return [entry["resource"] for entry in entries if isinstance(entry, dict) and isinstance(entry.get("resource"), dict)]


class SecurityProbes:
    """Sends the security scenarios' requests through the scenario's `client` and returns what checks judge."""

    def __init__(
        self,
        *,
        client: FhirClient,
        target: Target,
        provider: TokenProvider,
        patient_only: TokenProvider | None,
        patient_context: TokenProvider | None = None,
        capabilities: Capabilities,
        tokens: Matrix,
        spine: Matrix,
    ) -> None:
        self._client = client
        self._target = target
        self._provider = provider
        self._patient_only = patient_only
        self._patient_context = patient_context
        self._capabilities = capabilities
        self._tokens = tokens
        self._spine = spine

    def resource_types(self) -> tuple[str, ...]:
        """Every resource type the server declares (the Care Connect 14 if its CapabilityStatement names none)."""
        return self._capabilities.resource_types() or default_registry().resource_types()

    def require_access_tokens(self) -> None:
        """Not applicable to a target that authenticates with Spine audit JWTs (the spine scenarios test it)."""
        if self._target.auth.type == "spine-jwt":
            _not_applicable("the target authenticates with Spine Security Proxy audit JWTs (auth type spine-jwt), not access tokens")

    def require_spine(self) -> None:
        if not isinstance(self._provider, SpineJwt):
            _not_applicable(f"the target profile's auth type is {self._target.auth.type}, not spine-jwt")

    def forged_everywhere(self, case_id: str) -> Interaction:
        """The token of `case_id` sent to a search of every declared resource type. Without authentication in the
        profile only the case that sends no token applies: one finding if the server serves records to anyone."""
        case = self._tokens.case(case_id)
        if case.header is not None:
            self._require_own_token()
        forged = self._forge(case)
        exchanges = [self._search(resource_type, forged) for resource_type in self.resource_types()]
        return Interaction("request", None, tuple(exchanges))

    def require_trusted_signing(self) -> None:
        """Not applicable unless the server accepts the real claims signed with `auth.token_signing_key` (a control request)."""
        self._require_own_token()
        forged = self._forge(_CONTROL)
        control = self._search("Patient", forged)
        if control.status is None or not 200 <= control.status < 300:
            got = control.status if control.status is not None else f"no answer ({control.error})"
            _not_applicable(
                f"the server refused the control token (the real claims signed with auth.token_signing_key) with {got}: "
                "it does not trust that key, so a refusal could not show that it checks the claim"
            )

    def _require_own_token(self) -> None:
        if self._target.auth.type == "none":
            _not_applicable(
                "the target profile configures no authentication (auth.type: none), so there is no token of its own to "
                "forge from or compare with; whether the server serves records without any token is judged once, by the "
                "case that sends no Authorization header"
            )

    def spine_forged(self, case_id: str) -> Interaction:
        """The audit JWT with the case's defect, sent with a search for the requested record's patient."""
        assert isinstance(self._provider, SpineJwt)
        forged = self._provider.forge(self._spine.case(case_id))
        return Interaction("search", "Patient", (self._search("Patient", forged, self._requested_record()),))

    def spine_well_formed(self) -> Interaction:
        """Two requests, each with its own well-formed audit JWT."""
        query = self._requested_record()
        return Interaction("search", "Patient", tuple(self._client.send("GET", "Patient", params=query) for _ in range(2)))

    def patient_only(self, resource_type: str, params: list[tuple[str, str]] | None = None) -> Interaction:
        """A search of `resource_type` with the token of the profile's Patient-only client."""
        if self._patient_only is None:
            _not_applicable("the target profile names no Patient-only client (auth.patient_only)")
        assert self._patient_only is not None
        query = params if params is not None else [("_count", "1")]
        exchange = self._send_with(self._patient_only, resource_type, query, "sent with the Patient-only client's token")
        return Interaction("search", resource_type, (exchange,))

    def patient_only_including(self, resource_type: str) -> Interaction:
        """A Patient search that asks for every `resource_type` referring to the patients, with the Patient-only token."""
        return self.patient_only("Patient", [("_count", "2"), ("_revinclude", f"{resource_type}:patient")])

    def context_patient(self) -> str:
        """The patient the patient-context client's tokens are bound to: as its token response says (SMART `patient`), else the profile."""
        provider = self._context_provider()
        told = provider.patient() if hasattr(provider, "patient") else None
        assert self._target.auth.patient_context is not None
        patient: str | None = told or self._target.auth.patient_context.patient
        if patient is None:
            _not_applicable("the patient-context client's token response names no patient, and auth.patient_context.patient is not set")
        assert patient is not None
        return patient

    def another_patient(self, resource_type: str) -> str:
        """A patient other than the context one who has a `resource_type` record: the first the server lists to the profile's token."""
        mine = self.context_patient()
        note = f"looking among the {resource_type} records, with the profile's own token, for a patient other than Patient/{mine}"
        exchange = self._client.send("GET", resource_type, params=[("_count", "50")], notes=(note,))
        others = [owner for resource in _listed(exchange) if (owner := patient_of(resource)) is not None and owner != mine]
        if not others:
            _not_applicable(f"no {resource_type} record of a patient other than Patient/{mine} among the first the server lists (answer {exchange.status})")
        return others[0]

    def context_read(self, patient: str) -> Interaction:
        """A read of `Patient/[patient]` with the patient-context client's token."""
        exchange = self._send_with(self._context_provider(), f"Patient/{patient}", [], self._context_note())
        return Interaction("read", "Patient", (exchange,))

    def context_search(self, resource_type: str, patient: str | None = None) -> Interaction:
        """A search of `resource_type` for `patient` (every record, without one) with the patient-context client's token."""
        query = [("patient", patient)] if patient is not None else []
        exchange = self._send_with(self._context_provider(), resource_type, [*query, ("_count", "50")], self._context_note())
        return Interaction("search", resource_type, (exchange,))

    def metadata_without_token(self) -> Interaction:
        return Interaction("capabilities", "CapabilityStatement", (self._client.send("GET", "metadata", authorize=False),))

    def _context_provider(self) -> TokenProvider:
        if self._patient_context is None:
            _not_applicable("the target profile names no patient-context client (auth.patient_context)")
        assert self._patient_context is not None
        return self._patient_context

    def _context_note(self) -> str:
        return f"sent with the patient-context client's token, bound to Patient/{self.context_patient()}"

    def _send_with(self, provider: TokenProvider, path: str, params: Sequence[tuple[str, str]], note: str) -> Exchange:
        """A GET of `path` with `provider`'s token in place of the profile's."""
        return self._client.send("GET", path, params=params, headers=[("Authorization", provider.authorization() or "")], notes=(note,))

    def _real_token(self) -> str | None:
        authorization = self._provider.authorization()
        scheme, _, token = (authorization or "").partition(" ")
        return (token.strip() or None) if scheme.lower() == "bearer" else None

    def _forge(self, case: TokenCase) -> Forged:
        forge = TokenForge(self._real_token(), base_url=self._client.base_url, trusted_key=self._target.auth.token_signing_key)
        key = self._server_key_pem(forge.kid) if case.sign == "hs256-public-key" else None
        try:
            forged = forge.forge(case, server_key_pem=key)
        except ForgeUnavailable as unavailable:
            _not_applicable(str(unavailable))
        _, _, credentials = (forged.authorization or "").partition(" ")
        if len(credentials.strip()) >= 16:
            self._client.redactor.learn(credentials.strip())
        return forged

    def _server_key_pem(self, kid: str | None) -> bytes:
        """The server's token-signing public key, from the JWKS its SMART configuration names (recorded); not
        applicable, saying what was missing where, when there is none to confuse the algorithm with."""
        where = ".well-known/smart-configuration"
        answer = self._client.send("GET", where, authorize=False)
        configuration = answer.ok_json()
        if not isinstance(configuration, dict):
            _not_applicable(f"key confusion needs the server's RSA public key, but {where} answered {_status(answer)} with no JSON configuration")
        jwks_uri = configuration.get("jwks_uri")
        if not isinstance(jwks_uri, str):
            _not_applicable(f"key confusion needs the server's RSA public key, but {where} names no jwks_uri")
        answer = self._client.send("GET", jwks_uri, authorize=False)
        jwks = answer.ok_json()
        if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list):
            _not_applicable(f"key confusion needs the server's RSA public key, but its jwks_uri {jwks_uri} answered {_status(answer)} with no JSON key set")
        if not jwks["keys"]:
            _not_applicable(f"key confusion needs the server's RSA public key, but the key set at its jwks_uri {jwks_uri} is empty")
        pems = public_key_pems(jwks, kid)
        if not pems:
            kinds = ", ".join(sorted({str(key.get("kty")) for key in jwks["keys"] if isinstance(key, dict)})) or "none readable"
            _not_applicable(f"key confusion needs an RSA public key, but the key set at {jwks_uri} holds none that can be read (key types: {kinds})")
        return pems[0]

    def _requested_record(self) -> list[tuple[str, str]]:
        spine = self._target.auth.spine
        assert spine is not None
        return [("identifier", f"https://fhir.nhs.uk/Id/nhs-number|{spine.nhs_number}")]

    def _search(self, resource_type: str, forged: Forged, params: list[tuple[str, str]] | None = None) -> Exchange:
        headers = [("Authorization", forged.authorization)] if forged.authorization is not None else []
        query = params if params is not None else [("_count", "1")]
        return self._client.send("GET", resource_type, params=query, headers=headers, notes=forged.notes, authorize=False)
