"""`drift`: the server against the repo, both ways.

One way is the plan `apply` would run (server -> repo). The other, `--write`, adopts the
server's state in the entry files: only entries that differ are rewritten, by the same
per-value changes the diff finds, so comments, value spelling and object classes the
server merely adds (389's superiors) stay as the files have them.

The comparison reads the server with ldapsearch and parses only the entries that print
differently from the repo's (diff/fingerprints.py), a chunk at a time, keeping only the
change records (live/drift_compare.py): python-ldap alone takes longer than that, and
both states whole take gigabytes at 100k entries. `--write` needs both whole states, and
reads them the whole way.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from ldifctl import bulk
from ldifctl import plan as planmod
from ldifctl.cache import renders as renders_cache
from ldifctl.cache import states as state_cache
from ldifctl.cache.head_tree import HeadTree
from ldifctl.diff import fingerprints
from ldifctl.diff import snapshots as diff
from ldifctl.diff.entries import entry_mods
from ldifctl.live import drift_compare, drift_uncommitted, server_dump
from ldifctl.live.safety import refusals
from ldifctl.mail.address_impact import AddressImpact
from ldifctl.model import dn as dnmod
from ldifctl.model import entry_paths
from ldifctl.model.changes import Change, Mod, ModRdn
from ldifctl.model.errors import LdifctlError
from ldifctl.model.schema import Schema
from ldifctl.model.snapshot import Entry, Snapshot
from ldifctl.policy import change_routing
from ldifctl.repo.entries.render import render_entry, rewrite_entry, text_problem
from ldifctl.repo.files import RepoWriter
from ldifctl.repo.settings.apply import apply_settings
from ldifctl.repo.workspace import Workspace


@dataclass(frozen=True)
class Drift:
    plan: planmod.Plan  # what would bring the server to the repo
    server: Snapshot
    repo: Snapshot
    partial: bool = False  # only the entries that differ (the rest print alike)
    skipped: tuple[str, ...] = ()  # server entries named by a secret, left out (masked DNs)


@dataclass
class Written:
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)


def drift(ws: Workspace, rev: str, whole: bool = False) -> Drift:
    """The plan that brings the server to the repo. Unless `whole` is asked (to write the
    server's state into files), the snapshots hold only the entries that differ."""
    found = None if whole else _by_fingerprints(ws, rev)
    found = found if found is not None else _whole(ws, rev)
    routing = _routing(ws, found, rev) if found.plan.changes else ()
    return dataclasses.replace(found, plan=dataclasses.replace(found.plan, routing=routing))


def _routing(ws: Workspace, found: Drift, rev: str) -> tuple[AddressImpact, ...]:
    """What applying would do to mail. Routing needs whole states: when only the entries
    that differ were read, the repo's is loaded (only if the change may move mail) and the
    server's is it with those entries swapped."""
    whole = (lambda: state_cache.load_snapshot(ws, rev)[0]) if found.partial else None
    return change_routing.routing(ws, ws, found.server, found.repo, found.plan.changes, whole)


def _by_fingerprints(ws: Workspace, rev: str) -> Drift | None:
    """Only the entries whose printed form differs are parsed and diffed (fingerprints,
    live/drift_compare.py); None when this way does not apply (no ldapsearch, a state
    the caches do not know)."""
    dump = server_dump.start(ws)
    if dump is None:
        return None
    try:  # while ldapsearch reads
        state = state_cache.head_state(ws, rev)
        left = _sieved(ws, state, dump) if state is not None else None
    finally:
        dump.stop()  # a no-op once every piece was taken
    if state is None or left is None or dump.failed or dump.referred():
        return None
    printed, skipped = drift_compare.without_secret_named(left[0], ws.schema)
    found = fingerprints.differing(printed, left[1], ws.schema)
    if found is None:
        return None
    rendering = {path: text for text, path in left[1].items() if path in found.repo}
    del left, printed  # compare() lets go of each rendering once read
    compared = drift_compare.compare(ws, state, found, rendering)
    plan = planmod.Plan(compared.server.label, compared.repo.label, compared.changes, ())
    return Drift(plan, compared.server, compared.repo, partial=True, skipped=tuple(skipped))


def _sieved(
    ws: Workspace, state: HeadTree, dump: server_dump.Dump
) -> tuple[list[bytes], dict[bytes, str]] | None:
    """The server's entries that print as no repo file renders, and the renderings left
    (the others are dropped here, 25 MB of them at 100k entries)."""
    renders = renders_cache.repo_renders(ws, state)
    return drift_compare.sieved(dump.pieces(), renders) if renders is not None else None


def _whole(ws: Workspace, rev: str) -> Drift:
    from ldifctl.sources.server import read_server_state

    repo, save = state_cache.load_snapshot(ws, rev)
    if save is None:
        read = read_server_state(ws)
    else:  # storing the newly parsed entries (a second for 100k) runs beside the read
        read, _ = bulk.side_by_side(lambda: read_server_state(ws), save, size=len(repo))
    server = read.snapshot
    # Findings are about the repo, which validate and plan judge; drift only compares.
    changes = tuple(diff.diff(server, repo))
    plan = planmod.Plan(server.label, repo.label, changes, ())
    return Drift(plan, server, repo, skipped=read.skipped)


def write_server_state(ws: Workspace, found: Drift, force: bool) -> Written:
    """Make the working tree's files say what the server holds (never userPassword, nor an
    entry named by it: the server read drops them). Nothing is written if a file it would
    write or remove holds uncommitted edits, unless `force`."""
    backwards = diff.diff(found.repo, found.server)
    _refuse_mass_removal(ws, found, backwards, force)
    moved = {ws.schema.dn_key(c.new_dn): c.dn for c in backwards if isinstance(c, ModRdn)}
    result, writer = Written(), RepoWriter(ws.root)
    texts = []  # all made and measured before any is written
    for entry in found.server:
        former = found.repo.get_dn(_former_dn(entry.dn, moved, ws.schema))
        if (made := _text(ws, writer, former, entry)) is not None:
            texts.append(made)
    _refuse_unwritable(found, texts)
    targets = [target for _, target, _ in texts]
    written = set(targets)
    gone = [path for key, entry in found.repo.items()
            if key not in found.server and (path := _path(ws, entry)) not in written]
    drift_uncommitted.refuse_overwrite(ws, [*targets, *gone], force)
    for _, target, text in texts:
        writer.write(target, text)
        result.written.append(target)
    result.removed.extend(_remove(ws, path) for path in gone)
    return result


def _refuse_mass_removal(ws: Workspace, found: Drift, backwards: list[Change], force: bool) -> None:
    # A read that sees nothing (wrong bind DN, ACLs) must not turn into a PR deleting the repo.
    limits = apply_settings(ws.config.apply, ws.config.base_dns, ws.schema)
    settings = dataclasses.replace(limits, max_update_percent=100.0)
    protected = ws.config.base_dns
    found_refusals = refusals(backwards, list(found.repo.keys()), settings, protected, ws.schema)
    if found_refusals and not force:
        raise LdifctlError("\n".join(["drift --write would remove entry files:", *found_refusals]))


def _refuse_unwritable(found: Drift, texts: list[tuple[str, Path, str]]) -> None:
    """Every new file's name must fit, and every file must be small enough to read back
    (measured as it would be written, with the comments it keeps), or none is written: a
    half-written tree would mislead the pull request made of it."""
    new = (e for key, e in found.server.items() if key not in found.repo)
    problems = [f"{e.dn}: {problem}" for e in new if (problem := entry_paths.path_problem(e.dn))]
    problems += [f"{dn}: {p}" for dn, _, text in texts if (p := text_problem(text))]
    if problems:
        advice = ("nothing was written: give the entry a shorter RDN, or make it smaller, on "
                  "the server; until then the repo cannot hold it, and apply would delete it")
        raise LdifctlError("\n".join([*problems, advice]))


def _former_dn(dn: str, moved: dict[dnmod.DnKey, str], schema: Schema) -> str:
    """The DN the entry had in the repo, following a rename of it or of an ancestor."""
    rdns = dnmod.parse(dn)
    for i in range(len(rdns)):
        old = moved.get(schema.dn_key(dnmod.dn2str(rdns[i:])))
        if old is not None:
            below = dnmod.dn2str(rdns[:i])
            return dnmod.join(below, old) if below else old
    return dn


def _text(
    ws: Workspace, writer: RepoWriter, source: Entry | None, server: Entry
) -> tuple[str, Path, str] | None:
    """The server entry's DN, its file and what the file would say; None when the file
    already says it."""
    from ldifctl.sources.server import without_added_superiors

    target = ws.directory / entry_paths.to_relpath(server.dn)
    if source is None:
        return server.dn, target, render_entry(without_added_superiors(server, ws.schema),
                                               ws.schema)
    mods = entry_mods(source, server, ws.schema)
    same_dn = ws.schema.dn_key(source.dn) == ws.schema.dn_key(server.dn)
    if not mods and same_dn:
        return None
    old_path = _path(ws, source)
    adopted = Entry(server.dn if not same_dn else source.dn, _applied(source, mods, ws.schema))
    old = writer.read(old_path) or b""
    text = rewrite_entry(old, ws.display(old_path), adopted, ws.schema)
    return server.dn, old_path if same_dn else target, text


def _applied(entry: Entry, mods: list[Mod], schema: Schema) -> dict[str, tuple[bytes, ...]]:
    """The entry's attributes after the per-value mods."""
    attrs = {name: list(values) for name, values in entry.attrs.items()}
    for mod in mods:
        name = next((n for n in attrs if n.lower() == mod.attr.lower()), mod.attr)
        current = [] if mod.op == "replace" else attrs.get(name, [])
        if mod.op == "delete":
            norm = schema.normaliser(name)
            gone = {norm(v) for v in mod.values}
            attrs[name] = [v for v in current if norm(v) not in gone]
        else:
            attrs[name] = current + list(mod.values)
    return {name: tuple(values) for name, values in attrs.items() if values}


def _path(ws: Workspace, entry: Entry) -> Path:
    """The entry's file, as it was read (its name may spell the DN differently)."""
    if entry.origin is None:
        return ws.directory / entry_paths.to_relpath(entry.dn)
    return ws.root / entry.origin.where


def _remove(ws: Workspace, path: Path) -> Path:
    path.unlink()
    folder = path.parent
    while folder != ws.directory and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
    return path
