"""The directory repo, on disk and in git: `ldifctl.yaml` and the secrets kept out of it
(settings/), one entry file (entries/), YAML with line numbers (yamlio/), the folder and
git trees that hold the entry files (readers.py) and their parsing into a snapshot
(tree.py), the workspace, the settings a change is judged with (base_settings.py),
`fmt`, and the files a command line names; a deployed Postfix read as untrusted input
(postfix/) and the files of a new repo made from it or from a starter (new_repo.py,
starters.py: `init`).

Every read and write goes through files.py: never through a link, never outside the
repo. May import model/, mail/ (the values of the `mail:` section) and bulk.
"""
