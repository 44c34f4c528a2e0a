"""The transitions app's views, one module per feature (R1)."""
