"""A deployed Postfix configuration, read as untrusted input: `main.cf` (conf_file.py,
main_cf.py) and the `ldap:` table files it names for the three maps ldifctl models
(tables.py, deployed.py; what each field means to Postfix, defaults.py), and the
`ldifctl.yaml` made from them (adopt.py).

Every file is read where it stands (never through a link, never more than a size cap);
every error names the file and line; a `bind_pw` value is never kept, shown or copied.
May import `mail`, `model` and `repo.settings`.
"""
