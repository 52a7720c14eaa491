"""carecheck: a conformance test harness for the NHS Care Connect API (HL7 FHIR STU3)."""

__version__ = "0.1.0"

__all__ = ["__version__"]
