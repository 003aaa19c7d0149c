"""Postfix's view of a state: the `mail:` lookup tables (settings.py), LDAP search filters
and how an entry matches them, `%` templates, address lists, one table's lookups key by
key (tables.py), where mail to an address goes (routing.py, `resolve`) and which
addresses a change routes differently (impact.py; table_reads.py, which changes can move
mail at all). columns/ is
the policies' bulk view of the same, held equal to these lookups by property tests.

Works on snapshots only: it reads no file and runs nothing. Imports model/ and nothing
else of ldifctl; repo/settings/mail.py reads the `mail:` section into its values.
"""
