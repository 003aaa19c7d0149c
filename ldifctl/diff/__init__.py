"""From two snapshots to the change records that turn one into the other: the per-entry
diff (entries.py), renames and moves, an order the server accepts, and their LDIF
(snapshots.py is the one `diff`); and drift's comparison of entries as `ldapsearch`
prints them (fingerprints.py).

Pure: imports model/ and nothing else of ldifctl.
"""
