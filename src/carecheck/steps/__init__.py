"""Step definitions, one module per vocabulary; star-imported by the root conftest.py."""
