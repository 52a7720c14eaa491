"""`carecheck validate FILE...`: a supplier's resources judged against the Care Connect profiles, before any run."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from carecheck.errors import ConfigError
from carecheck.fhir import BodyError, Severity, apply_waivers, load_waivers, read_document, validate

__all__ = ["FileReport", "validate_files"]


@dataclass(frozen=True)
class FileReport:
    lines: tuple[str, ...]
    errors: int
    warnings: int
    waived: int
    files: int

    @property
    def summary(self) -> str:
        return f"carecheck validate: {self.files} file(s): {self.errors} error(s), {self.warnings} warning(s), {self.waived} waived"


def validate_files(paths: Sequence[Path], *, waivers: Path | None = None, today: datetime.date | None = None) -> FileReport:
    """Validate each file (JSON or XML, a resource or a Bundle); one line per issue, `path: issue`."""
    accepted = load_waivers(waivers) if waivers else []
    lines: list[str] = []
    errors = warnings = waived = 0
    for path in paths:
        try:
            body = path.read_bytes()
        except OSError as error:
            raise ConfigError(f"cannot read {path}: {error.strerror}") from None
        media = "application/fhir+xml" if path.suffix.lower() == ".xml" else "application/fhir+json"
        try:
            reading = read_document(body, media)
        except BodyError as error:
            lines.append(f"{path}: error [structure] not a FHIR resource: {error}")
            errors += 1
            continue
        issues = apply_waivers(validate(reading.resource, read=reading.issues), accepted, today or datetime.date.today())
        for issue in issues:
            if issue.severity is Severity.INFORMATION:
                continue
            lines.append(f"{path}: {issue.describe()}")
            waived += issue.waived
            errors += issue.severity is Severity.ERROR and not issue.waived
            warnings += issue.severity is Severity.WARNING and not issue.waived
    return FileReport(tuple(lines), errors, warnings, waived, len(paths))
