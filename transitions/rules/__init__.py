"""Pure rules of the transitions app, one module per feature (R1)."""
