"""The target's CapabilityStatement as a file of its own in the pack, taken from the run's recorded exchange.

The run reads it once (`evidence/_run/capability/`); the copy at the top of the pack is what the
conformance matrix compares the observed results with, and what an assessor opens first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from carecheck.evidence.bodies import Bodies
from carecheck.evidence.pack import RUN_EVIDENCE, read_exchange
from carecheck.evidence.writer import CAPABILITY_FILE, EVIDENCE_DIR, write_json
from carecheck.fhir import BodyError, parse_resource

__all__ = ["CAPABILITY_EVIDENCE", "capture_capability_statement"]

CAPABILITY_EVIDENCE = f"{EVIDENCE_DIR}/{RUN_EVIDENCE}/capability"


def capture_capability_statement(report_dir: Path) -> dict[str, Any] | None:
    """Write `capability-statement.json` from the recorded exchange; None when the run has no readable one."""
    folder = report_dir / CAPABILITY_EVIDENCE
    bodies = Bodies(report_dir)
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
        exchange = read_exchange(path, bodies)
        try:
            statement = parse_resource(exchange)
        except BodyError:
            continue
        if statement.get("resourceType") == "CapabilityStatement":
            write_json(report_dir / CAPABILITY_FILE, statement)
            return statement
    return None
