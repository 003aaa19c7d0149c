"""A cold `validate` (each process reads its half into the cache's rows and checks each
entry alone as it parses it, cache/states.py) answers what loading the tree whole with the
general entry reader and checking it does; and what it stores answers the same after.

Random trees with errors of every kind the checks know (structure, schema, routing),
files the one-pass reader leaves to libyaml, and broken files; the second core is used
from 2 files on, so both halves go through the fork."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from mail_kit import CONFIG, DOMAINS, MAIL
from repo_kit import PEOPLE, SUFFIX, DirectoryRepo

from ldifctl import bulk, validation
from ldifctl.cache import entry_rows
from ldifctl.model.errors import LdifctlError
from ldifctl.model.findings import Finding
from ldifctl.policy.sources import worktree_source
from ldifctl.repo import tree
from ldifctl.repo.entries import canonical
from ldifctl.repo.readers import worktree
from ldifctl.repo.workspace import open_workspace

PEOPLE_DN = "ou=people,dc=example,dc=net"
ADDRESSES = [f"a{i}@example.org" for i in range(6)] + ["far@elsewhere.test"]


def person(rng: random.Random, cn: str) -> str:
    """A mailbox, canonical or not, with now and then an error some check reports."""
    lines = [f"dn: cn={cn},{PEOPLE_DN}", "objectClass:", "  - inetOrgPerson",
             "  - mailRecipient", "  - PostfixBookMailAccount",
             f"cn: {rng.choice([cn, cn, 'Someone'])}",  # the RDN value missing
             "sn: " + rng.choice(["Person", "Ölund", "O'Neil", "'a: b'"])]
    if rng.random() < 0.6:
        lines.append(f"mail: {cn}@example.org")
    if rng.random() < 0.5:
        lines += ["mailAlias:", *(f"  - {a}" for a in rng.sample(ADDRESSES, 2))]
    if rng.random() < 0.3:
        lines.append(f"mailForwardingAddress: {rng.choice(ADDRESSES)}")
    if rng.random() < 0.2:
        lines.append(f"mailEnabled: {rng.choice(['TRUE', 'yes'])}")  # booleanMatch
    if rng.random() < 0.2:
        lines.append(f"uidNumber: {rng.choice(['1000', 'ten'])}")  # integerMatch
    if rng.random() < 0.1:
        lines = [ln for ln in lines if not ln.startswith(("objectClass", "  - i", "  - m",
                                                          "  - P"))]
    text = "\n".join(lines) + "\n"
    if rng.random() < 0.15:  # left to libyaml: a comment, a flow list
        text = text.replace("sn: ", "# a note\nsn: ", 1)
    return text


def random_repo(root: Path, seed: int) -> DirectoryRepo:
    rng = random.Random(seed)
    repo = DirectoryRepo(root, CONFIG + MAIL)
    entries = {"dc=example,dc=net": SUFFIX, PEOPLE_DN: PEOPLE,
               "ou=Domains,dc=example,dc=net": DOMAINS,
               "dc=example.org,ou=Domains,dc=example,dc=net":
                   "dn: dc=example.org,ou=Domains,dc=example,dc=net\nobjectClass: dNSDomain\n"
                   "dc: example.org\n"}
    entries.update({f"cn=p{i},{PEOPLE_DN}": person(rng, f"p{i}") for i in range(40)})
    entries[f"cn=kid,cn=gone,{PEOPLE_DN}"] = (  # its parent is not there
        f"dn: cn=kid,cn=gone,{PEOPLE_DN}\nobjectClass: inetOrgPerson\ncn: kid\nsn: K\n"
    )
    repo.populate(entries)
    repo.commit("base")
    return repo


def reference(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[Finding]] | str:
    """The tree loaded whole by the general entry reader alone and checked: its count
    and findings, or the error that refuses it."""
    with monkeypatch.context() as patched:
        patched.setattr(canonical, "read_entry", lambda *args: None)
        ws = open_workspace(root)
        try:
            snapshot = tree.load(worktree(ws), ws.schema)
        except LdifctlError as err:
            return str(err)
        return len(snapshot), validation.check_state(ws, snapshot, worktree_source(ws).policies)


def validated(root: Path) -> tuple[int, list[Finding]] | str:
    try:
        return validation.validate(open_workspace(root))
    except LdifctlError as err:
        return str(err)


@pytest.fixture(autouse=True)
def both_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "MIN_SPLIT", 2)


@pytest.mark.parametrize("seed", range(4))
def test_cold_validate_and_its_cache_answer_as_the_whole_tree_does(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = random_repo(tmp_path / "repo", seed)
    expected = reference(repo.root, monkeypatch)
    assert not isinstance(expected, str) and expected[1]  # errors to find
    cache = repo.root / ".git" / "ldifctl"
    assert validated(repo.root) == expected  # cold
    assert sorted(cache.glob("entries*")) == sorted(cache / name for name in entry_rows.PARTS)
    rows = entry_rows.read_rows(open_workspace(repo.root))  # each half stored by its process
    directory = repo.root / "directory"
    assert sorted(key.split("\0")[0] for key in rows) == sorted(
        str(p.relative_to(directory)) for p in directory.rglob("*.yaml")
    )
    assert validated(repo.root) == expected  # warm: the findings stored
    for stored in cache.iterdir():  # only the parsed entries kept: judged afresh from them
        if stored.name not in entry_rows.PARTS:
            stored.unlink()
    assert validated(repo.root) == expected
    rng = random.Random(seed)
    for i in rng.sample(range(40), 3):  # edits: judged by what changed
        repo.write(f"cn=p{i},{PEOPLE_DN}", person(rng, f"p{i}"))
    assert validated(repo.root) == reference(repo.root, monkeypatch)
    shutil.rmtree(cache)
    assert validated(repo.root) == reference(repo.root, monkeypatch)  # cold again


@pytest.mark.parametrize(
    "broken",
    [
        {"cn=p3": "dn: cn=p3,ou=people,dc=example,dc=net\ncn: [a\n"},  # bad YAML
        {"cn=p4": "dn: cn=other,ou=people,dc=example,dc=net\ncn: other\n"},  # not its path
        {"cn=p5": "dn: cn=p5,ou=people,dc=example,dc=net\ncn: a\nCN: b\n"},
        {"cn=p6": "dn: cn=p6,ou=people,dc=example,dc=net\nsn: ''\n"},
        {"CN=p7": "dn: CN=p7,ou=people,dc=example,dc=net\ncn: p7\n"},  # p7 twice
    ],
)
def test_a_broken_tree_is_refused_cold_as_when_loaded_whole(
    tmp_path: Path, broken: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = random_repo(tmp_path / "repo", 7)
    for rdn, text in broken.items():
        repo.write(f"{rdn},{PEOPLE_DN}", text)
    expected = reference(repo.root, monkeypatch)
    assert isinstance(expected, str)
    assert validated(repo.root) == expected
    assert validated(repo.root) == expected  # and again, the good files from the cache
