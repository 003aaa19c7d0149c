"""Postfix's view of a directory state: LDAP search filters and how an entry matches
them, the `mail:` lookup tables, `%` templates, address lists, and routing (`resolve`).

Works on snapshots only: it reads no file and runs nothing. Imports model/ and nothing
else of ldifctl; columns/ is its bulk view for the policies.
"""
