"""CapabilityStatement reading: what a target declares, for scenario selection and the conformance matrix."""

from carecheck.capability.applicability import not_applicable_reason
from carecheck.capability.statement import Capabilities

__all__ = ["Capabilities", "not_applicable_reason"]
