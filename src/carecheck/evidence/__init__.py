"""The evidence pack: exchanges and scenario results, written incrementally under a run's report folder."""

from carecheck.evidence.writer import (
    EVIDENCE_DIR,
    RESULT_FILE,
    RUN_FILE,
    SCENARIO_FILE,
    EvidenceWriter,
    ScenarioEvidence,
    write_json,
)

__all__ = [
    "EVIDENCE_DIR",
    "RESULT_FILE",
    "RUN_FILE",
    "SCENARIO_FILE",
    "EvidenceWriter",
    "ScenarioEvidence",
    "write_json",
]
