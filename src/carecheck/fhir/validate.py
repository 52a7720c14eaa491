"""Validating a resource the way every response is judged: STU3 structure, then the Care Connect profile.

The profile is the one the resource claims in ``meta.profile``; a resource of one of the 14 Care Connect
types that claims none (or claims no Care Connect profile) is judged against its type's Care Connect profile
and gets a ``profile-claim`` error, because the guide requires the claim. The non-STU3 profile URLs the guide
itself prints (``https://fhir.hl7.org.uk/StructureDefinition/CareConnect-Procedure-1``...) are read as their
STU3 form with a warning. A Bundle is validated entry by entry, each issue located under its entry.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from typing import Any

from carecheck.errors import ConfigError
from carecheck.fhir.bindings import terminology
from carecheck.fhir.conformance import check_profile
from carecheck.fhir.issues import Issue, RuleKind, Severity, prefixed
from carecheck.fhir.nhs_number import nhs_number_issues
from carecheck.fhir.profiles import CARECONNECT_BASE, ProfileSet, profile_set
from carecheck.fhir.structure import structural_issues

__all__ = ["NON_STU3_BASE", "validate"]

NON_STU3_BASE = "https://fhir.hl7.org.uk/StructureDefinition/"


def validate(resource: dict[str, Any], *, profile: str | None = None, read: Sequence[Issue] = ()) -> list[Issue]:
    """Every issue ``resource`` has: structural (STU3), profile (claimed or Care Connect), NHS number rules.

    ``profile`` forces one profile URL and skips the ``meta.profile`` rules (in a Bundle, for the entries of
    that profile's type); an unknown URL is a ``ConfigError``. ``read`` are the issues of reading the document
    (XML content that is not STU3, see ``fhir.xml``): they come first and stand for every other issue at or
    under their locations, which would only judge content that is not STU3 as if it were.
    """
    found = _validate(resource, profile)
    return [*read, *(issue for issue in found if not _restates(issue, read))] if read else found


def _validate(resource: dict[str, Any], profile: str | None) -> list[Issue]:
    profiles = profile_set()
    forced = profiles.get(profile) if profile is not None else None
    if profile is not None and forced is None:
        raise ConfigError(f"profile {profile} is not one carecheck holds; known: {', '.join(profiles.urls())}")
    issues = structural_issues(resource)
    if not isinstance(resource.get("resourceType"), str):
        return issues
    if resource["resourceType"] != "Bundle":
        return issues + _resource_issues(resource, profiles, profile, {})
    entries = resource.get("entry")
    entries = entries if isinstance(entries, list) else []
    references = {
        str(e["fullUrl"]): str(e["resource"].get("resourceType"))
        for e in entries
        if isinstance(e, dict) and isinstance(e.get("resource"), dict) and "fullUrl" in e
    }
    searchset = resource.get("type") == "searchset"
    for index, entry in enumerate(entries):
        inner = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(inner, dict) and isinstance(inner.get("resourceType"), str):
            own = profile if forced is not None and forced.type == inner["resourceType"] else None
            # Search results refer to the server's resources, not to each other's fullUrls: the same record
            # found by many searches is judged once (searchset entries are validated without the Bundle's map).
            found = list(_searchset_entry_issues(json.dumps(inner, sort_keys=True), own)) if searchset else _resource_issues(inner, profiles, own, references)
            issues += prefixed(found, inner["resourceType"], f"Bundle.entry[{index}].resource")
    return issues


def _restates(issue: Issue, read: Sequence[Issue]) -> bool:
    return any(issue.location == known.location or issue.location.startswith((known.location + ".", known.location + "[")) for known in read)


@functools.lru_cache(maxsize=4096)
def _searchset_entry_issues(text: str, forced: str | None) -> tuple[Issue, ...]:
    """The profile issues of one search result (by its canonical JSON): a pure function, so memoised."""
    return tuple(_resource_issues(json.loads(text), profile_set(), forced, {}))


def _resource_issues(resource: dict[str, Any], profiles: ProfileSet, forced: str | None, references: dict[str, str]) -> list[Issue]:
    resource_type = str(resource["resourceType"])
    issues: list[Issue] = []
    urls = [forced] if forced is not None else _claimed(resource, resource_type, profiles, issues)
    for url in urls:
        compiled = profiles.get(url)
        if compiled is not None:
            issues += check_profile(resource, compiled, profiles, terminology(), references=references)
    if resource_type == "Patient":
        issues += nhs_number_issues(resource)
    return issues


def _claim_issue(resource_type: str, severity: Severity, message: str, location: str = "") -> Issue:
    return Issue(severity, RuleKind.PROFILE_CLAIM, location or f"{resource_type}.meta.profile", message, resource_type)


def _claimed(resource: dict[str, Any], resource_type: str, profiles: ProfileSet, issues: list[Issue]) -> list[str]:
    """The profile URLs to validate against, adding the ``profile-claim`` issues on the way."""
    meta = resource.get("meta")
    claims = meta.get("profile") if isinstance(meta, dict) else None
    claims = [c for c in claims if isinstance(c, str)] if isinstance(claims, list) else []
    chosen: list[str] = []
    for index, claim in enumerate(claims):
        url = claim
        if claim.startswith(NON_STU3_BASE) and profiles.get(claim) is None:
            url = CARECONNECT_BASE + claim[len(NON_STU3_BASE) :]
            if profiles.get(url) is not None:
                where = f"{resource_type}.meta.profile[{index}]"
                message = f"{claim} is the non-STU3 form of the profile URL; read as {url}"
                issues.append(_claim_issue(resource_type, Severity.WARNING, message, where))
        compiled = profiles.get(url)
        if compiled is None:
            where = f"{resource_type}.meta.profile[{index}]"
            message = f"{claim} is not a profile carecheck holds; not checked"
            issues.append(_claim_issue(resource_type, Severity.INFORMATION, message, where))
        elif compiled.type != resource_type:
            where = f"{resource_type}.meta.profile[{index}]"
            message = f"{claim} is a profile of {compiled.type}, not {resource_type}"
            issues.append(_claim_issue(resource_type, Severity.ERROR, message, where))
        elif url not in chosen:
            chosen.append(url)
    careconnect = profiles.careconnect_profile(resource_type)
    if careconnect is not None and careconnect not in chosen:
        problem = "missing meta.profile" if not claims else "meta.profile does not claim the Care Connect profile"
        message = f"{problem}: the guide requires {careconnect}; validated against it"
        issues.append(_claim_issue(resource_type, Severity.ERROR, message))
        chosen.append(careconnect)
    return chosen
