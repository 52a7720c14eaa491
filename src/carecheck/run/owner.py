"""The owner of a run: everything the run learns from its target before the first scenario, obtained once.

In this order, each step recorded as evidence of the run (`evidence/_run/`): the CapabilityStatement
(`capability`: the reachability check's own read of `/metadata`, read again with the token only when the server
answered it with an OperationOutcome), the tokens of the profile's clients (`auth`, `auth-patient-only`,
`auth-patient-context`; the token URL from that statement), the pinned test data and discovery (`discovery`, each
pinned record read once for both). A target that cannot be reached, is not FHIR, refuses the profile's credentials
or lacks pinned data stops here, before any report folder exists; what was recorded is then dropped with it. The
result is the run's `RunFacts`, which the pytest process and its workers receive and never obtain again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from carecheck.auth import TokenProvider, token_provider
from carecheck.baseline import Baseline
from carecheck.capability import Capabilities
from carecheck.config import Auth, Target
from carecheck.errors import AuthError, TestDataMissing
from carecheck.evidence import EvidenceWriter, replace_previous_pack
from carecheck.fhir import BodyError, Waiver, parse_resource
from carecheck.http import Exchange, FhirClient, Redactor
from carecheck.provenance import executor_facts, harness_facts
from carecheck.run.clients import client_settings
from carecheck.run.facts import RunFacts, SharedToken
from carecheck.run.preflight import check_fhir_version, check_reachable
from carecheck.run.progress import PROGRESS_FILE
from carecheck.testdata import RecordReads, discover, missing_pinned

__all__ = ["SetUp", "SetUpEvidence", "obtain_facts"]


@dataclass
class SetUpEvidence:
    """The set-up's exchanges by folder of `evidence/_run/`, kept until the run has a report folder."""

    folders: dict[str, list[Exchange]] = field(default_factory=dict)

    def recorder(self, folder: str) -> Callable[[Exchange], None]:
        return self.folders.setdefault(folder, []).append

    def write(self, writer: EvidenceWriter) -> None:
        for folder, exchanges in self.folders.items():
            evidence = writer.scenario(f"_run/{folder}")
            for exchange in exchanges:
                evidence.record(exchange)


@dataclass(frozen=True)
class SetUp:
    """What the owner obtained: the facts to hand over, their evidence, and the FHIR version banner (if any)."""

    facts: RunFacts
    evidence: SetUpEvidence
    banner: str | None

    def open_pack(
        self, report_dir: Path, *, scope: dict[str, Any], started: str, own_features: Path | None = None, waivers_file: Path | None = None
    ) -> EvidenceWriter:
        """Open the run's report folder: the set-up's exchanges, and `run.json` with the target, the harness, what the
        run was asked to cover (`scope`) and the test data it found; a FHIR version banner goes to the live progress."""
        replace_previous_pack(report_dir)
        writer = EvidenceWriter(report_dir.resolve())
        self.evidence.write(writer)
        target = self.facts.target
        writer.update_run(
            target={"name": target.name, "base_url": target.base_url, "profile": target.redacted()},
            **harness_facts(own_features),
            executor=executor_facts(),
            started=started,
            scope=scope,
            testdata=self.facts.known_data().to_data(),
        )
        if waivers_file is not None:
            writer.keep_waivers(waivers_file)
        if self.banner is not None:
            with (writer.report_dir / PROGRESS_FILE).open("a", encoding="utf-8") as handle:
                handle.write(json.dumps({"banner": self.banner}) + "\n")
        return writer


def obtain_facts(
    target: Target,
    base_url: str,
    *,
    report_dir: Path | None = None,
    waivers: tuple[Waiver, ...] = (),
    baseline: Baseline | None = None,
    hypothesis_seed: int | str | None = None,
) -> SetUp:
    """Reach the target and obtain the run's facts once. TargetUnreachable or WrongServer (exit 3), AuthError when the
    profile's own credentials get no token, TestDataMissing when pinned data is not on the target (exit 2)."""
    evidence = SetUpEvidence()
    redactor = Redactor.of(target.secrets())
    settings = client_settings(target)  # one pacer for every request of the set-up
    exchange, declared = check_reachable(base_url, settings=settings, record=evidence.recorder("capability"), redactor=redactor)
    banner = check_fhir_version(declared, target)
    statement = _capability_statement(exchange)
    with FhirClient(base_url, record=evidence.recorder("auth"), redactor=redactor, **settings) as auth_client:
        provider = token_provider(target.auth, auth_client, statement=statement)
        provider.authorization()  # the profile's own credentials: a refusal stops the run (AuthError)
        tokens = _shared({"auth": provider})
        if not statement:  # the server answered /metadata only with an OperationOutcome: ask again with the token
            with FhirClient(base_url, record=evidence.recorder("capability"), redactor=redactor, authorize=provider.authorization, **settings) as client:
                statement = _capability_statement(client.capabilities().first)
        for name, auth in (("auth-patient-only", target.auth.patient_only), ("auth-patient-context", target.auth.patient_context)):
            tokens.update(_second_token(name, auth, base_url, statement, evidence, redactor, settings))
        with FhirClient(base_url, record=evidence.recorder("discovery"), redactor=redactor, authorize=provider.authorization, **settings) as client:
            reads = RecordReads(client)
            _check_pinned(client, target, reads)
            known = discover(client, target.testdata, Capabilities(statement), reads=reads)
    facts = RunFacts(
        target=target.model_copy(update={"base_url": base_url}),  # the embedded server's own URL, for one
        base_url=base_url,
        statement=statement,
        known=known.dump(),
        tokens=tokens,
        report_dir=report_dir,
        waivers=waivers,
        baseline=baseline,
        hypothesis_seed=hypothesis_seed,
    )
    return SetUp(facts, evidence, banner)


def _capability_statement(exchange: Exchange) -> dict[str, Any]:
    """The CapabilityStatement an exchange carries, in JSON or XML ({} when it carries none)."""
    try:
        statement = parse_resource(exchange) if exchange.response is not None else {}
    except BodyError:
        return {}
    return statement if statement.get("resourceType") == "CapabilityStatement" else {}


def _shared(providers: dict[str, TokenProvider]) -> dict[str, SharedToken]:
    """The tokens the providers hold, to hand over (a static bearer, an audit JWT or no auth has none to share)."""
    shared = {name: provider.share() if hasattr(provider, "share") else None for name, provider in providers.items()}
    return {name: token for name, token in shared.items() if token is not None}


def _second_token(
    name: str, auth: Auth | None, base_url: str, statement: dict[str, Any], evidence: SetUpEvidence, redactor: Redactor, settings: dict[str, Any]
) -> dict[str, SharedToken]:
    """The token of a security scenario's client (Patient-only, patient context). A refusal does not stop the run: the
    scenarios that use the client ask again, and say what went wrong."""
    if auth is None:
        return {}
    with FhirClient(base_url, record=evidence.recorder(name), redactor=redactor, **settings) as client:
        provider = token_provider(auth, client, statement=statement)
        try:
            provider.authorization()
        except AuthError:
            return {}
        return _shared({name: provider})


def _check_pinned(client: FhirClient, target: Target, reads: RecordReads) -> None:
    """TestDataMissing, naming each profile field, when the target lacks test data the profile pins (unless
    `testdata.if_missing: continue`)."""
    testdata = target.testdata
    if testdata.if_missing == "continue" or (testdata.patient is None and not testdata.records):
        return
    missing = missing_pinned(client, testdata, reads=reads)
    if missing:
        raise TestDataMissing(f"{'; '.join(missing)} — the profile pins test data the target does not hold (testdata.if_missing: continue runs without it)")
