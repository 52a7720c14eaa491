"""The features' Gherkin tags as pytest markers: carecheck's own (`features/tags.yaml`, with what each selects)
and those of a supplier's features, so a session under `--strict-markers` accepts exactly the tags its
scenarios may carry, and `pytest --markers` describes them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml

from carecheck.project import FEATURES
from carecheck.run.own_features import feature_tags
from carecheck.run.scenario import REQUIREMENT_TAG

__all__ = ["TAGS", "register_markers", "tag_descriptions"]

TAGS = FEATURES / "tags.yaml"


@cache
def tag_descriptions() -> dict[str, str]:
    """carecheck's tags and what each selects."""
    data: dict[str, str] = yaml.safe_load(TAGS.read_text(encoding="utf-8"))
    return data


def register_markers(config: pytest.Config, own: Path | None = None) -> None:
    """Register carecheck's tags, and the tags of the supplier's features in `own`, as the session's markers."""
    described = tag_descriptions()
    for name, text in described.items():
        config.addinivalue_line("markers", f"{name}: {text}")
    if own is not None:
        for tag in sorted(feature_tags(own) - described.keys()):
            if not tag.startswith(REQUIREMENT_TAG):
                config.addinivalue_line("markers", f"{tag}: a tag of the supplier's own scenarios (--features)")
