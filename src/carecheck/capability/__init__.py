"""CapabilityStatement reading: what a target declares, for scenario selection and the conformance matrix."""

from carecheck.capability.statement import Capabilities

__all__ = ["Capabilities"]
