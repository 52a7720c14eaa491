"""When a synthetic patient's records happen: random moments in their lifetime, written at varied precision.

Everything is drawn from the patient's own random generator, so a record's dates depend only on
the patient, and nothing depends on today's date: the latest moment is the end of 2025.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

__all__ = ["EARLIEST_RECORD", "LATEST_RECORD", "Timeline"]

EARLIEST_RECORD = datetime(1975, 1, 1, tzinfo=UTC)
"""No record is older than this, however old the patient."""
LATEST_RECORD = datetime(2025, 12, 31, 23, 59, tzinfo=UTC)
"""No record is newer than this."""


class Timeline:
    """Moments in one patient's record, from their birth (or 1975) to the end of 2025."""

    def __init__(self, rng: random.Random, birth_date: str | None) -> None:
        born = datetime.combine(date.fromisoformat(birth_date), datetime.min.time(), UTC) if birth_date else None
        self._rng = rng
        self._start = max(born + timedelta(days=1), EARLIEST_RECORD) if born else EARLIEST_RECORD
        self._seconds = max(int((LATEST_RECORD - self._start).total_seconds()), 86_400)

    def moment(self) -> datetime:
        """A random moment in the patient's record, to the minute."""
        moment = self._start + timedelta(seconds=self._rng.randrange(self._seconds))
        return moment.replace(second=0, microsecond=0)

    def after(self, start: datetime, *, longest: timedelta) -> datetime:
        """A moment after ``start``, at most ``longest`` later (and never after the end of 2025)."""
        later = start + timedelta(seconds=self._rng.randrange(60, max(int(longest.total_seconds()), 61)))
        return min(later, LATEST_RECORD).replace(second=0, microsecond=0)

    def written(self, moment: datetime, *, date_only_share: float = 0.0) -> str:
        """``moment`` as a FHIR dateTime: to the second with a zone, or (at ``date_only_share``) the date alone."""
        if self._rng.random() < date_only_share:
            return moment.date().isoformat()
        return moment.isoformat()
