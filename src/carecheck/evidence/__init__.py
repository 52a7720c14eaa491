"""The evidence pack: exchanges, scenario results and steps written as the run goes, read back whole,
sealed by a manifest of sha256 digests that `verify` checks, and re-judged offline by `rejudge`."""

from carecheck.evidence.bodies import BODIES_DIR, INLINE_BYTES, Bodies
from carecheck.evidence.folder import check_report_dir, is_pack, replace_previous_pack
from carecheck.evidence.manifest import MANIFEST_FILE, MANIFEST_FORMAT, Verification, content_digest, file_digests, verify, write_manifest
from carecheck.evidence.pack import RUN_EVIDENCE, ExchangeRecord, Pack, ScenarioRecord, read_exchange, read_json, read_pack
from carecheck.evidence.rejudge import REJUDGE_FILE, Difference, Rejudgement, rejudge
from carecheck.evidence.statement import CAPABILITY_EVIDENCE, capture_capability_statement
from carecheck.evidence.steps import STEP_OUTCOMES, StepLog
from carecheck.evidence.writer import (
    CAPABILITY_FILE,
    EVIDENCE_DIR,
    RESULT_FILE,
    RUN_FILE,
    SCENARIO_FILE,
    WAIVERS_FILE,
    EvidenceWriter,
    ScenarioEvidence,
    write_json,
    write_text,
)

__all__ = [
    "BODIES_DIR",
    "CAPABILITY_EVIDENCE",
    "CAPABILITY_FILE",
    "EVIDENCE_DIR",
    "INLINE_BYTES",
    "MANIFEST_FILE",
    "MANIFEST_FORMAT",
    "REJUDGE_FILE",
    "RESULT_FILE",
    "RUN_EVIDENCE",
    "RUN_FILE",
    "SCENARIO_FILE",
    "STEP_OUTCOMES",
    "WAIVERS_FILE",
    "Bodies",
    "Difference",
    "EvidenceWriter",
    "ExchangeRecord",
    "Pack",
    "Rejudgement",
    "ScenarioEvidence",
    "ScenarioRecord",
    "StepLog",
    "Verification",
    "capture_capability_statement",
    "check_report_dir",
    "content_digest",
    "file_digests",
    "is_pack",
    "read_exchange",
    "read_json",
    "read_pack",
    "rejudge",
    "replace_previous_pack",
    "verify",
    "write_json",
    "write_manifest",
    "write_text",
]
