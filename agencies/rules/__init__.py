"""The agencies app's rules, one module per feature (R1)."""
