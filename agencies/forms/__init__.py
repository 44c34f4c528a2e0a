"""The agencies app's forms, split by feature (R1)."""
