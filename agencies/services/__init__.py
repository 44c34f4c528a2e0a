"""The agencies app's services, split by feature (R1)."""
