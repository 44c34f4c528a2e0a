"""The transitions app's services, one module per feature (R1)."""
