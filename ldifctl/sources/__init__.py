"""Every way to get a state: the work tree, a git revision, a folder of entry files, an
LDIF file, the server; and `import` / `export` between a state and the repo.
"""
