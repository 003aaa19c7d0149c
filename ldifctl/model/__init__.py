"""The values every stage shares: DNs, the schema and its matching rules, entries and
snapshots, change records, findings, and the one user error.

Pure: no file, process or network is touched here, and nothing else of ldifctl is
imported. Every other package may import it.
"""
