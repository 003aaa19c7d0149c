"""The values every stage shares: DNs, the schema and its matching rules, entries and
snapshots (one `Snapshot` type for every state, wherever it was read), change records,
findings, and the one error that means "the input is wrong".

Pure: no file, process or network is touched here. Imports nothing else of ldifctl;
every other package may import it.
"""
