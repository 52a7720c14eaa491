"""carecheck's pytest plugin (placeholder)."""
