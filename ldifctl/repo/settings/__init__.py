"""`ldifctl.yaml`, read and checked whole on every command (config.py): the top-level keys,
one value at a time (fields.py), `server:` (server.py and uris.py), `mail:` (mail.py,
mail_names.py), `apply:` (apply.py); and the secrets that never live in it, read from
the environment only (secrets.py).
"""
