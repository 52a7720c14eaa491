"""CapabilityStatement reading: what a target declares, for scenario selection and the conformance matrix."""

from carecheck.capability.applicability import not_applicable_reason
from carecheck.capability.refusal import REFUSING_STATUSES, left_out, unsupported
from carecheck.capability.statement import Capabilities

__all__ = ["REFUSING_STATUSES", "Capabilities", "left_out", "not_applicable_reason", "unsupported"]
