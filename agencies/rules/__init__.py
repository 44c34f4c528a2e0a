"""Pure rules of the agencies app, split by feature (R1)."""
