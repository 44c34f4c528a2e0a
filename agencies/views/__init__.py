"""The app's views, split by feature (R1)."""
