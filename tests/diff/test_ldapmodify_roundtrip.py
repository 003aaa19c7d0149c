"""Property: for generated states A -> B, `ldifctl plan` piped into the real ldapmodify turns a
real slapd holding A into exactly B."""

from __future__ import annotations

import hypothesis.strategies as st
import ldap.dn
import pytest
import servers
from hypothesis import HealthCheck, event, given, settings
from ldap_state import server_snapshot
from repo_kit import DirectoryRepo, run

from ldifctl.diff.ldif_writer import render_changes
from ldifctl.diff.snapshots import diff
from ldifctl.model import dn as dnmod
from ldifctl.model.schema import build_schema
from ldifctl.model.snapshot import Entry, Snapshot
from ldifctl.repo.entries.render import render_entry
from ldifctl.sources.export import export_ldif

SCHEMA = build_schema()
SUFFIX = "dc=example,dc=net"
OUS = ["people", "staff", "Mail"]
NAMES = ["alice", "bob", "carol", "dave", "Émile", "o'neil", "x, y"]
ADDRESSES = ["a@company.com", "B@Company.com", "sales@company.com", "info@x.org", "z@y.ro"]
TEXTS = [
    "plain",
    " leading space",
    "trailing space ",
    "ünïcödé",
    "two\nlines",
    ":colon",
    "<angle",
    "a" * 90,
    "#hash",
    "\tleading tab",  # slapd's reader skips a TAB, VT or FF after `: `: base64
    "\x0bleading vt",
    "trailing tab\t",
]

Person = dict[str, list[str]]


@st.composite
def person(draw: st.DrawFn, name: str) -> Person:
    attrs: Person = {
        "objectClass": ["inetOrgPerson"],
        "cn": [name],
        "sn": [draw(st.sampled_from(NAMES))],
    }
    if draw(st.booleans()):
        attrs["objectClass"].append("mailRecipient")
        addrs = draw(st.lists(st.sampled_from(ADDRESSES), unique_by=str.lower, max_size=3))
        if addrs:
            attrs["mailAlternateAddress"] = addrs
        fwd = draw(st.lists(st.sampled_from(ADDRESSES), unique_by=str.lower, max_size=2))
        if fwd:
            attrs["mailForwardingAddress"] = fwd
    if draw(st.booleans()):
        attrs["mail"] = [draw(st.sampled_from(ADDRESSES))]
    if draw(st.booleans()):
        attrs["description"] = draw(
            st.lists(st.sampled_from(TEXTS), unique=True, min_size=1, max_size=2)
        )
    return attrs


@st.composite
def state(draw: st.DrawFn) -> dict[str, Person]:
    ous = draw(st.lists(st.sampled_from(OUS), unique_by=str.lower, min_size=1, max_size=3))
    entries: dict[str, Person] = {}
    for ou in ous:
        entries[f"ou={ou},{SUFFIX}"] = {"objectClass": ["organizationalUnit"], "ou": [ou]}
        for name in draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=3)):
            dn = f"cn={_escape(name)},ou={ou},{SUFFIX}"
            entries[dn] = draw(person(name))
    return entries


def _escape(value: str) -> str:
    return str(ldap.dn.escape_dn_chars(value))


@st.composite
def transition(draw: st.DrawFn) -> tuple[dict[str, Person], dict[str, Person]]:
    """B is a fresh state, or A with entries kept, edited, renamed, moved or dropped."""
    old = draw(state())
    if draw(st.integers(0, 3)) == 0:
        return old, draw(state())
    new: dict[str, Person] = {}
    for dn, attrs in old.items():
        if attrs["objectClass"] == ["organizationalUnit"]:
            new[dn] = attrs
            continue
        fate = draw(st.sampled_from(["keep", "edit", "rename", "rename+edit", "drop"]))
        name = attrs["cn"][0] + ("2" if fate.startswith("rename") else "")
        if fate != "drop":
            target = dnmod.join(f"cn={_escape(name)}", dnmod.parent(dn))
            new[target] = draw(person(name)) if fate.endswith("edit") else {**attrs, "cn": [name]}
    return old, new


def as_snapshot(entries: dict[str, Person]) -> Snapshot:
    snap = Snapshot("generated", SCHEMA)
    snap.add(Entry(SUFFIX, {"objectClass": (b"domain",), "dc": (b"example",)}))
    for dn, attrs in entries.items():
        snap.add(Entry(dn, {k: tuple(v.encode() for v in vs) for k, vs in attrs.items()}))
    return snap


def commit_state(repo: DirectoryRepo, snap: Snapshot) -> str:
    for path in (repo.root / "directory").rglob("*.yaml"):
        path.unlink()
    for entry in snap:
        repo.write(entry.dn, render_entry(entry, SCHEMA))
    return repo.commit()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(transition())
def test_plan_piped_into_ldapmodify_gives_exactly_the_new_state(
    slapd: servers.LdapServer,
    tmp_path_factory: pytest.TempPathFactory,
    pair: tuple[dict[str, Person], dict[str, Person]],
) -> None:
    old, new = as_snapshot(pair[0]), as_snapshot(pair[1])
    repo = DirectoryRepo(tmp_path_factory.mktemp("prop"))
    base, head = commit_state(repo, old), commit_state(repo, new)
    slapd.reset()
    slapd.ldapadd(export_ldif(_without_suffix(old)))

    code, ldif_text, err = run(repo, "plan", "--base", base, "--head", head)
    assert code == 0, err
    # The incremental plan (only files git reports changed) equals the full diff.
    assert ldif_text == render_changes(diff(old, new))
    for kind in ("add", "modify", "delete", "modrdn"):
        if f"changetype: {kind}\n" in ldif_text:
            event(kind)
    if ":: " in ldif_text:
        event("base64 value")
    applied = slapd.ldapmodify(ldif_text)
    assert applied.returncode == 0, (ldif_text, applied.stderr)

    server = server_snapshot(slapd, SCHEMA)
    assert diff(server, new) == []
    assert sorted(SCHEMA.dn_key(e.dn) for e in server) == sorted(SCHEMA.dn_key(e.dn) for e in new)


def _without_suffix(snap: Snapshot) -> Snapshot:
    out = Snapshot(snap.label, snap.schema)
    for entry in snap:
        if entry.dn != SUFFIX:
            out.add(entry)
    return out
