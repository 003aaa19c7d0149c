"""`ldifctl.yaml`, every section of it, and the secrets that never live in it."""
