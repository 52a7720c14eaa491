"""Step definitions, one module per vocabulary; star-imported by the suites' conftest.py."""
