"""The transitions app's selectors, one module per feature (R1)."""
