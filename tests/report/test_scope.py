"""The run's scope as the reports state it."""

from __future__ import annotations

from carecheck.report.scope import scope_facts, selection_text

SCOPE = {
    "suite": "smoke",
    "tags": "patient",
    "scenarios": {"selected": 3, "in_suite": 545},
    "workers": {"asked": 8, "used": 4},
    "profile": "/x/my-server.yaml",
    "base_url": {"tested": "http://other/STU3", "profile": "https://fhir.example/STU3", "override": "http://other/STU3"},
    "sign_off": True,
}


def test_the_selection_says_n_of_m_scenarios_of_the_full_suite() -> None:
    assert selection_text(SCOPE) == 'suite smoke, tags "patient": 3 of 545 scenarios of the full suite'
    assert selection_text({}).startswith("not recorded")


def test_the_facts_name_workers_profile_overrides_and_sign_off() -> None:
    facts = dict(scope_facts(SCOPE))
    assert facts["Base URL tested"] == "http://other/STU3 (--base-url override; the profile says https://fhir.example/STU3)"
    assert facts["Workers"] == "4 (-n 8, capped by limits.concurrency)"
    assert facts["Target profile"] == "/x/my-server.yaml" and facts["Sign-off mode"].startswith("on: ")
    embedded = dict(scope_facts({**SCOPE, "base_url": {"tested": "http://127.0.0.1:1/STU3", "profile": "embedded", "override": None}, "sign_off": False}))
    assert embedded["Base URL tested"] == "http://127.0.0.1:1/STU3 (the profile's embedded)" and embedded["Sign-off mode"] == "off"
