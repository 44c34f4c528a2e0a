"""The agencies app's selectors, split by feature (R1)."""
