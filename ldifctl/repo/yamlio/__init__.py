"""YAML with line numbers and no type coercion, for entry, settings and policy files."""
