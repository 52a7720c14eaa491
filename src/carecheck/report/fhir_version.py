"""The FHIR version banner: a server whose CapabilityStatement does not declare STU3 (3.0.x) gets one line at
the top of the console, `report.html` and `checklist.md` saying so, and how many failures follow from it.

The failures that follow from another FHIR version are those of the version itself (CC-GEN-STU3) and of the
Care Connect profiles and their claims, which are STU3 structures; every other failure stands on its own.
"""

from __future__ import annotations

from carecheck.capability import Capabilities
from carecheck.evidence import Pack
from carecheck.report.traceability import FAILING

__all__ = ["FOLLOWING", "fhir_version_banner"]

FOLLOWING = frozenset({"CC-GEN-STU3", "CC-PROFILE-VALID", "CC-GEN-META-PROFILE"})
"""The requirements whose failures a server of another FHIR version is expected to show."""


def fhir_version_banner(pack: Pack) -> str | None:
    """The banner, or None for an STU3 server (or a pack without the CapabilityStatement)."""
    if pack.capability_statement is None:
        return None
    capabilities = Capabilities(pack.capability_statement)
    if capabilities.declares_stu3():
        return None
    declared = f"declares FHIR {capabilities.fhir_version}" if capabilities.fhir_version else "declares no FHIR version"
    following = sum(
        1
        for scenario in pack.scenarios
        if scenario.outcome in FAILING and any(f.get("outcome") == "fail" and FOLLOWING & set(f.get("requirements") or ()) for _, f in scenario.findings())
    )
    return f"this server {declared}; Care Connect is STU3 (3.0.x); {following} failure(s) follow from it (the FHIR version and the STU3 Care Connect profiles)"
