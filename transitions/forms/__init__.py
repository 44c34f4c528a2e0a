"""The transitions app's forms, one module per feature (R1)."""
