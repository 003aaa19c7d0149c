"""The settings `plan` judges a change with: those of its base revision's `ldifctl.yaml`.

A change is judged by the base revision's policies (policy/check.py), so a pull request
cannot switch off the rules that judge it. The settings that decide a verdict come from
the base too, or the same pull request would blind the rules through `ldifctl.yaml`:
`policies:` (where the rules are), `mail:` (the routing model they judge), `attributes:`
and `ignore_attributes:` (how values compare, which are seen) and `base_dn` (what the
repo may hold). What is judged stays the change's own: `directory:`, the folder its
entries are in. `server:` and `apply:` judge nothing in a plan. The change set, unlike
the verdict, is what `apply` sends after the merge: where the change edits how entries
are read, it is made with the change's own settings (cache/applied_changes.py).

The base's file is one blob: its id is compared with the working tree's bytes, and it is
read and parsed only when they differ.
"""

from __future__ import annotations

import dataclasses

from ldifctl.model.errors import LdifctlError
from ldifctl.model.findings import Finding
from ldifctl.model.schema import AttributeType
from ldifctl.repo import bounds, git_blobs, gitrepo
from ldifctl.repo import files as repo_files
from ldifctl.repo.readers import GitTreeReader
from ldifctl.repo.settings.config import Config, parse_config
from ldifctl.repo.workspace import CONFIG_NAME, Workspace

RULE = "settings-source"


def judging_workspace(
    ws: Workspace, base: GitTreeReader, head: object
) -> tuple[Workspace, list[Finding]]:
    """The workspace whose settings judge a change from `base` to `head` (a TreeReader,
    or None for a state outside the repo), and what the plan should say about them."""
    path = ws.git_prefix(ws.root / CONFIG_NAME)
    listed = gitrepo.folder_entry(ws.repo, base.commit, path)
    shown = f"{base.label}:{path}"
    if listed is None:
        return ws, [_notice(f"{shown} does not exist: this change is judged with its own "
                            f"settings")]
    mode, blob = listed
    notices = [] if _head_blob(ws, head, path) == blob else [_edited()]
    try:
        if not mode.startswith("100"):
            raise repo_files.refusal(shown, repo_files.git_kind(mode), "a settings file")
        if blob == git_blobs.blob_id(ws.config.source):
            return ws, notices  # the working tree's settings are the base's: no parsing
        try:
            data = git_blobs.read_blobs(ws.repo, [blob])[blob]
        except bounds.TooBig as err:
            raise err.at(shown, "a settings file") from None
        config = parse_config(data, shown, ws.root, ws.environ)
    except LdifctlError as err:
        # Only a base that no longer loads (an older ldifctl took it): its fix must pass.
        return ws, [*notices, _notice(f"the base revision's settings do not load ({err}): "
                                      "this change is judged with its own settings")]
    judged = _judged_config(ws.config, config)
    return Workspace(ws.root, judged, judged.schema(), ws.environ, ws.repo), notices


def _judged_config(head: Config, base: Config) -> Config:
    """The base's settings, with the head's folder of entries (what is judged)."""
    return dataclasses.replace(
        base, directory=head.directory, server=head.server, apply=head.apply,
        warnings=head.warnings,
    )


def _head_blob(ws: Workspace, head: object, path: str) -> str | None:
    if isinstance(head, GitTreeReader):
        listed = gitrepo.folder_entry(ws.repo, head.commit, path)
        return listed[1] if listed else None
    return git_blobs.blob_id(ws.config.source)


def _edited() -> Finding:
    return _notice(
        f"this change edits {CONFIG_NAME}: its findings use the settings of the base revision "
        "(policies, mail, attributes, ignore_attributes, base_dn), so a change cannot relax "
        "the rules that judge it; the new settings apply once it is merged"
    )


def reading_edit(base: Config, head: Config) -> Finding | None:
    """What a change's edit of `ignore_attributes:` or `attributes:` does to what `apply`
    compares after the merge (None: it does not edit them). Its plan's change set is
    the head's (cache/applied_changes.py), but an attribute the base ignored was never
    read from the server: what the server holds of it, the plan cannot show."""
    before, now = _ignored(base), _ignored(head)
    rules, now_r = _rules(base), _rules(head)
    edited = [n for n in sorted(rules.keys() | now_r.keys()) if rules.get(n) != now_r.get(n)]
    said = []
    if before - now:
        said.append(f"apply compares {', '.join(sorted(before - now))} from now on: values the "
                    "server holds and the entry files lack will be deleted")
    if now - before:
        said.append(f"apply no longer reads or writes {', '.join(sorted(now - before))}")
    if edited:
        said.append(f"{', '.join(edited)} compare by the new attributes: rules")
    if not said:
        return None
    return _notice(
        f"this change edits how {CONFIG_NAME} reads entries ({'; '.join(said)}): the LDIF is "
        "the change set with the new settings, as apply computes it after the merge; review "
        "`ldifctl plan --base server` before it is applied"
    )


def unignored(base: Config, head: Config) -> set[str]:
    """The attributes the base ignored and the head reads (lower-cased as written)."""
    return _ignored(base) - _ignored(head)


def _ignored(config: Config) -> set[str]:
    return {name.lower() for name in config.ignore_attributes}


def _rules(config: Config) -> dict[str, AttributeType]:
    return {a.name.lower(): a for a in config.attributes}


def _notice(message: str) -> Finding:
    return Finding(CONFIG_NAME, RULE, "warning", "", message)
