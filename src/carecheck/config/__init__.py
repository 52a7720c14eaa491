"""Target profiles: YAML files with `${ENV}` secrets and command-line overrides, validated on load."""

from carecheck.config.load import load_target, resolve_target_path, tested_at
from carecheck.config.placeholders import MissingTestData, fill, fill_query
from carecheck.config.profile import EMBEDDED, Auth, Expectations, Limits, PatientData, SpineAudit, Target, TestData

__all__ = [
    "EMBEDDED",
    "Auth",
    "Expectations",
    "Limits",
    "MissingTestData",
    "PatientData",
    "SpineAudit",
    "Target",
    "TestData",
    "fill",
    "fill_query",
    "load_target",
    "resolve_target_path",
    "tested_at",
]
