"""Every way to get a state: its name (specs.py: `worktree`, a git revision, a folder of
entry files, an LDIF file, `server`), its loading as one Snapshot (load.py), the LDIF
reader, the server's paged read and the connection it binds (server.py, connection.py);
and `import` / `export` between a state and the repo.

Python-ldap is imported only by the modules that talk to a server, and only when a
command reads one. May import model/, diff/ (LDIF rendering), repo/ and bulk.
"""
