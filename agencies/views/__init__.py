"""The agencies app's views, split by feature (R1)."""
