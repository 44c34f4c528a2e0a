"""The app's read functions, split by feature (R1)."""
