"""Tests for carecheck.refserver.seed.vocabulary: the coded concepts Care Connect coding slices accept."""

from __future__ import annotations

from carecheck.refserver.seed.vocabulary import (
    ALLERGIES,
    CONDITIONS,
    ENCOUNTER_TYPES,
    MEDICINES,
    OBSERVATIONS,
    PROCEDURES,
    REACTIONS,
    SNOMED,
    VACCINES,
    Code,
)


def test_every_code_has_system_code_and_display_and_snomed_comes_first() -> None:
    codes: list[Code] = [*CONDITIONS, *PROCEDURES, *REACTIONS, *MEDICINES]
    codes += [code for code, _ in ALLERGIES] + [kind for kind, _ in ENCOUNTER_TYPES]
    codes += [vaccine.product for vaccine in VACCINES] + [vaccine.procedure for vaccine in VACCINES]
    assert all(code.system == SNOMED and code.code.isdigit() and code.display for code in codes)
    for measurement in OBSERVATIONS:
        assert measurement.codes and measurement.low < measurement.high and measurement.unit
        assert all(code.display for code in measurement.codes)


def test_a_code_makes_codings_and_concepts() -> None:
    heart = Code(SNOMED, "364075005", "Heart rate")
    assert heart.coding() == {"system": SNOMED, "code": "364075005", "display": "Heart rate"}
    loinc = Code("http://loinc.org", "8867-4", "Heart rate")
    assert heart.concept(loinc) == {"coding": [heart.coding(), loinc.coding()]}
