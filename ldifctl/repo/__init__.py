"""The directory repo on disk and in git: `ldifctl.yaml` (settings/), entry files
(entries/), YAML with line numbers (yamlio/), folder and git trees, the workspace, `fmt`.
"""
