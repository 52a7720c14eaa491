"""An Interaction: the exchanges one FHIR interaction took (one for a read, one per page for a search)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from carecheck.http.exchange import Exchange

__all__ = ["Interaction", "InteractionKind"]

InteractionKind = Literal["capabilities", "read", "search", "request"]


@dataclass(frozen=True)
class Interaction:
    """What checks judge. `exchanges[0]` is the request the scenario made; later ones are pages it followed."""

    kind: InteractionKind
    resource_type: str | None
    exchanges: tuple[Exchange, ...]

    def __post_init__(self) -> None:
        if not self.exchanges:
            raise ValueError("an interaction has at least one exchange")

    @property
    def first(self) -> Exchange:
        return self.exchanges[0]

    def to_data(self) -> dict[str, Any]:
        """A reference to the recorded exchanges, so a judgement can be replayed from evidence."""
        return {
            "kind": self.kind,
            "resource_type": self.resource_type,
            "exchanges": [exchange.id for exchange in self.exchanges],
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any], exchanges: Mapping[str, Exchange]) -> Interaction:
        ids: Sequence[str] = data["exchanges"]
        return cls(kind=data["kind"], resource_type=data.get("resource_type"), exchanges=tuple(exchanges[i] for i in ids))
