"""YAML with line numbers and no type coercion: nodes (nodes.py), settings and policy files
as plain data (document.py), the canonical scalars entry files are written in
(scalars.py), and the comments a rewrite keeps (comments.py)."""
