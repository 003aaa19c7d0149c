"""From two snapshots to the change records that turn one into the other: the per-entry
diff, renames and moves, an order the server accepts, and their LDIF.

Pure: imports model/ and nothing else of ldifctl.
"""
