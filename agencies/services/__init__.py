"""The agencies app's services, one module per feature (R1)."""
