"""A pull request's files are small to push and may be huge to read: git compresses 200 MB
of one letter into 200 kB. A committed 200 MB entry file took `plan` 251 s and 20 GB (each
value without `@` went into one regular expression as a domain); with that fixed, 14 s and
1.3 GB. An entry, settings or policy file over 16 MiB (repo/bounds.py: MAX_FILE_BYTES) is
now refused by name before it is parsed, and `import` and `drift --write` never write a
file that reading it back would refuse. Within 16 MiB, a file holds at most 200,000 nodes
(repo/yamlio/nodes.py: MAX_NODES), counted before libyaml makes a tree of them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import servers
from attack_kit import refused, refused_everywhere, run
from live_kit import PEOPLE_DN, ldifctl, live_repo
from mail_kit import mail_repo, person
from repo_kit import DirectoryRepo, committed_repo
from repo_kit import run as run_here  # in this process: the bounds lowered reach it

from ldifctl.model.errors import LdifctlError
from ldifctl.repo import bounds, git_blobs, gitrepo
from ldifctl.repo import files as repo_files
from ldifctl.repo.bounds import MAX_FILE_BYTES
from ldifctl.repo.yamlio import nodes as yamlio
from ldifctl.repo.yamlio.nodes import MAX_NODES

PEOPLE = "directory/dc=net/dc=example/ou=people"
WHERE = f"{PEOPLE}/cn=big.yaml"
HEAD = f"dn: cn=big,{PEOPLE_DN}\nobjectClass: [inetOrgPerson]\ncn: big\nsn: b\n"
# Before the fix, 64 MiB took ~420 MB to plan; the refusal takes ~50.
ADDRESS_SPACE = 320 << 20


def sized(size: int, head: str = HEAD, name: str = "description") -> bytes:
    """An entry file of exactly `size` bytes: `head`, then one long value."""
    text = f"{head}{name}: "
    return (text + "a" * (size - len(text) - 1) + "\n").encode()


def too_big(where: str, size: int, what: str = "an entry file") -> str:
    return (
        f"{where}: {size:,} bytes, over the {MAX_FILE_BYTES:,} (16 MiB) that {what} may "
        "hold; no LDAP server takes an entry near that size by default (OpenLDAP 4 MiB, "
        "389-DS 2 MiB): keep large data out of the directory, or remove the file"
    )


@pytest.fixture
def repo(tmp_path: Path) -> DirectoryRepo:
    return committed_repo(tmp_path / "repo")


def test_a_committed_entry_file_of_64_mib_is_refused_unread(repo: DirectoryRepo) -> None:
    size = 64 << 20
    repo.write_raw(WHERE, sized(size))
    repo.commit("big")
    planned = run(repo, "plan", "--base", "HEAD~", "--head", "HEAD", address_space=ADDRESS_SPACE)
    refused(planned, too_big(f"HEAD:{WHERE}", size))
    assert planned.out == ""


def test_the_same_file_in_the_working_tree_is_refused_everywhere(repo: DirectoryRepo) -> None:
    repo.write_raw(WHERE, sized(MAX_FILE_BYTES + 1))
    refused_everywhere(repo, too_big(WHERE, MAX_FILE_BYTES + 1))
    refused(run(repo, "fmt", "--check"), too_big(WHERE, MAX_FILE_BYTES + 1))


def test_a_file_at_the_limit_is_read_and_one_byte_more_is_refused(repo: DirectoryRepo) -> None:
    """On disk and in git alike: the limit is exact, and the refusal names the file."""
    at, over = repo.root / "at.yaml", repo.root / "over.yaml"
    at.write_bytes(sized(MAX_FILE_BYTES))
    over.write_bytes(sized(MAX_FILE_BYTES + 1))
    assert len(repo_files.read_regular(str(at), "at.yaml")) == MAX_FILE_BYTES
    with pytest.raises(bounds.TooBig) as raised:
        repo_files.read_regular(str(over), "over.yaml")
    assert str(raised.value) == too_big("over.yaml", MAX_FILE_BYTES + 1)

    git = gitrepo.open_repo(repo.root)
    blob_at, blob_over = (repo.git("hash-object", "-w", str(p)).strip() for p in (at, over))
    assert len(git_blobs.read_blobs(git, [blob_at])[blob_at]) == MAX_FILE_BYTES
    with pytest.raises(bounds.TooBig) as raised:
        git_blobs.read_blobs(git, [blob_at, blob_over])
    assert raised.value.blob == blob_over
    assert str(raised.value.at("HEAD:x.yaml", "a policy file")) == too_big(
        "HEAD:x.yaml", MAX_FILE_BYTES + 1, "a policy file"
    )


def test_a_policy_file_too_big_is_refused_by_name(repo: DirectoryRepo) -> None:
    """In the working tree, and in the base revision whose policies judge a change."""
    policy = "policies/big.yaml"
    repo.write_raw(policy, b"# " + b"x" * MAX_FILE_BYTES + b"\n")
    refused(run(repo, "validate"), too_big(policy, MAX_FILE_BYTES + 3, "a policy file"))
    repo.commit("a big policy file")
    planned = run(repo, "plan", "--base", "HEAD", "--head", "HEAD")
    refused(planned, too_big(f"HEAD:{policy}", MAX_FILE_BYTES + 3, "a policy file"))


def test_import_refuses_an_entry_whose_file_would_be_too_big_and_writes_nothing(
    tmp_path: Path,
) -> None:
    repo = DirectoryRepo(tmp_path / "repo", f"base_dn: {PEOPLE_DN}\n")
    dump = tmp_path / "dump.ldif"
    value = "a" * MAX_FILE_BYTES
    dump.write_text(
        f"dn: {PEOPLE_DN}\nobjectClass: organizationalUnit\nou: people\n\n"
        f"dn: cn=big,{PEOPLE_DN}\nobjectClass: person\ncn: big\nsn: b\ndescription: {value}\n"
    )
    size = len(f"dn: cn=big,{PEOPLE_DN}\nobjectClass: person\ncn: big\ndescription: \nsn: b\n")
    done = run(repo, "import", "--from-ldif", str(dump))
    assert (done.code, done.out, done.err) == (
        1,
        "",
        f"error: {dump}:5: its entry file would hold {size + MAX_FILE_BYTES:,} bytes, over "
        f"the {MAX_FILE_BYTES:,} (16 MiB) that an entry file may hold: keep large data out "
        "of the directory\nerror: nothing was written: fix the source first\n",
    )
    assert list((repo.root / "directory").rglob("*")) == []


HALF = MAX_FILE_BYTES // 2
# A kept comment of half the limit: the file it is in fits, and so does the entry alone.
COMMENT = "# " + "c" * HALF + "\n"


def grown(description: str) -> str:
    """The text a rewrite makes of `cn=big` with COMMENT kept above its `description`."""
    return (f"dn: cn=big,{PEOPLE_DN}\nobjectClass: person\ncn: big\n{COMMENT}"
            f"description: {description}\nsn: b\n")


def too_big_to_write(size: int) -> str:
    return (f"its entry file would hold {size:,} bytes, over the {MAX_FILE_BYTES:,} (16 MiB) "
            "that an entry file may hold: keep large data out of the directory")


def test_import_counts_the_comments_a_rewrite_keeps(tmp_path: Path) -> None:
    """The entry alone fits, and so does the file it replaces; the rewrite, which keeps
    the file's comments, would not. It was written, and every command then refused it.
    Nothing is written, not even the folder of a new entry beside it."""
    repo = DirectoryRepo(tmp_path / "repo", f"base_dn: {PEOPLE_DN}\n")
    big = f"{PEOPLE}/cn=big.yaml"
    repo.write_raw(big, grown("short").encode())
    before = (repo.root / big).read_bytes()
    value = "a" * HALF
    dump = tmp_path / "dump.ldif"
    dump.write_text(
        f"dn: {PEOPLE_DN}\nobjectClass: organizationalUnit\nou: people\n\n"
        f"dn: cn=big,{PEOPLE_DN}\nobjectClass: person\ncn: big\nsn: b\ndescription: {value}\n\n"
        f"dn: cn=new,ou=staff,{PEOPLE_DN}\nobjectClass: person\ncn: new\nsn: n\n"
    )
    done = run(repo, "import", "--from-ldif", str(dump))
    assert (done.code, done.out, done.err) == (
        1,
        "",
        f"error: {dump}:5: {too_big_to_write(len(grown(value)))}\n"
        "error: nothing was written: fix the source first\n",
    )
    assert (repo.root / big).read_bytes() == before
    assert not (repo.root / PEOPLE / "ou=staff").exists()


def test_drift_write_counts_the_comments_a_rewrite_keeps(
    tmp_path: Path,
    clean_slapd: servers.LdapServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", clean_slapd.root_pw)
    repo = live_repo(tmp_path / "repo", clean_slapd)
    big = f"{PEOPLE}/cn=big.yaml"
    repo.write_raw(big, grown("short").encode())
    repo.commit("people")
    assert ldifctl(repo, "apply", "--yes")[0] == 0
    before = (repo.root / big).read_bytes()
    value = "a" * HALF
    clean_slapd.ldapmodify(
        f"dn: cn=big,{PEOPLE_DN}\nchangetype: modify\nreplace: description\n"
        f"description: {value}\n-\n"
    )
    code, _, err = ldifctl(repo, "drift", "--write")
    assert (code, err.splitlines()[1:]) == (
        1,
        [
            f"error: cn=big,{PEOPLE_DN}: {too_big_to_write(len(grown(value)))}",
            "error: nothing was written: give the entry a shorter RDN, or make it smaller, "
            "on the server; until then the repo cannot hold it, and apply would delete it",
        ],
    )
    assert (repo.root / big).read_bytes() == before


def test_megabytes_of_values_without_at_are_planned_in_bounded_memory(
    tmp_path: Path,
) -> None:
    """Each value without `@` of a changed entry may be a domain the change touches. They
    were joined into one regular expression: a 10 MB value took 9.6 s and 1.1 GB."""
    repo = mail_repo(tmp_path, {"box": person("box", mail="box@example.org")})
    repo.write_raw(f"{PEOPLE}/cn=long.yaml", sized(10 << 20, person("long").rstrip("\n") + "\n"))
    repo.commit("a long description")
    planned = run(repo, "plan", "--base", "HEAD~", "--head", "HEAD", address_space=ADDRESS_SPACE)
    assert planned.code == 0, planned.err[-2000:]
    assert planned.out.startswith(f"dn: cn=long,{PEOPLE_DN}\nchangetype: add\n")


def test_drift_write_refuses_a_server_entry_too_big_for_a_file(
    tmp_path: Path,
    clean_slapd: servers.LdapServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A server whose request limit was raised (a site with large CRLs) holds a new entry
    too big for a file, beside another new entry: neither is written."""
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", clean_slapd.root_pw)
    repo = live_repo(tmp_path / "repo", clean_slapd)
    repo.commit("people")
    assert ldifctl(repo, "apply", "--yes")[0] == 0
    before = sorted(p.relative_to(repo.root) for p in (repo.root / "directory").rglob("*"))
    small = f"dn: cn=small,{PEOPLE_DN}\nobjectClass: person\ncn: small\nsn: s\n\n"
    big = f"dn: cn=big,{PEOPLE_DN}\nobjectClass: person\ncn: big\nsn: b\n"
    clean_slapd.ldapadd(small + big + "description: " + "a" * MAX_FILE_BYTES + "\n")
    code, _, err = ldifctl(repo, "drift", "--write")
    size = MAX_FILE_BYTES + len(big + "description: \n")
    assert (code, err.splitlines()[1:]) == (
        1,
        [
            f"error: cn=big,{PEOPLE_DN}: its entry file would hold {size:,} bytes, over the "
            f"{MAX_FILE_BYTES:,} (16 MiB) that an entry file may hold: keep large data out "
            "of the directory",
            "error: nothing was written: give the entry a shorter RDN, or make it smaller, "
            "on the server; until then the repo cannot hold it, and apply would delete it",
        ],
    )
    after = sorted(p.relative_to(repo.root) for p in (repo.root / "directory").rglob("*"))
    assert after == before


# --- Nodes: what libyaml makes of a file, ~600 bytes each.


def test_16_mib_of_one_letter_in_a_flow_list_is_refused_at_its_line(repo: DirectoryRepo) -> None:
    """8 million values in 16 MiB, 16 kB gzipped: `validate` took 33 s and 4.8 GB."""
    head = HEAD + "description: ["
    repo.write_raw(WHERE, (head + "a," * ((MAX_FILE_BYTES - len(head) - 3) // 2) + "a]\n").encode())
    repo.commit("a long list")
    planned = run(repo, "plan", "--base", "HEAD~", "--head", "HEAD", address_space=ADDRESS_SPACE)
    refused(planned, f"HEAD:{WHERE}:5: more than 200,000 keys, values and lists, which a file "
            "of the repo may hold (no LDAP server takes an entry of that many values by "
            "default): split the list, or keep such data out of the directory")


def listed(values: int, text: str = "d") -> str:
    """An entry file of `values` + 12 nodes: the mapping, dn, objectClass and its list,
    cn, sn, description and its list (10 + 2), and the values."""
    return HEAD + "description:\n" + "".join(f"  - {text}{i}\n" for i in range(values))


def test_a_file_of_200000_nodes_is_read_and_one_more_is_refused() -> None:
    yamlio.check_nodes(listed(MAX_NODES - 12), "x.yaml")
    with pytest.raises(LdifctlError) as raised:
        yamlio.check_nodes(listed(MAX_NODES - 11), "x.yaml")
    assert str(raised.value).startswith(f"x.yaml:{5 + MAX_NODES - 11}: more than 200,000 keys")
    # A long text of few nodes is counted, and let through: commas in a quoted value.
    yamlio.check_nodes(HEAD + 'description: "' + "a, " * MAX_NODES + '"\n', "x.yaml")


def test_a_policy_file_of_too_many_nodes_is_refused_at_its_line(repo: DirectoryRepo) -> None:
    items = "".join(f"      - a{i}\n" for i in range(MAX_NODES))
    policy = "rules:\n  required-attributes:\n    object_classes:\n      person:\n"
    repo.write_raw("policies/long.yaml", (policy + items).encode())
    # Nine nodes come before the items (each mapping, key and the list): the item over
    # the bound is number MAX_NODES - 8, on line 4 + that.
    refused(run(repo, "validate"), f"policies/long.yaml:{4 + MAX_NODES - 8}: more than 200,000")


def test_the_policy_files_share_one_budget_of_nodes(repo: DirectoryRepo) -> None:
    """Each of 64 policy files could hold 200,000 nodes: 12.8 million merged, over a
    minute. Together they hold 200,000: the file that passes the budget is refused at
    the line of the node that does."""
    policy = "rules:\n  required-attributes:\n    object_classes:\n      person:\n"
    half = MAX_NODES // 2
    first = "".join(f"      - a{i}\n" for i in range(half))
    repo.write_raw("policies/a.yaml", (policy + first).encode())
    assert run(repo, "validate").code == 0
    # a.yaml's nine nodes and `half` items leave `half - 9` for b.yaml, whose nine come
    # first: its item number `half - 17` is one too many, on line 4 + that.
    repo.write_raw("policies/b.yaml", (policy + first).encode())
    done = run(repo, "validate")
    refused(done, f"policies/b.yaml:{4 + half - 17}: more than 200,000 keys, values and "
                  "lists in the policy files together, which they may hold: split the list, "
                  "or keep such data out of the policies")
    fits = first[: first.index(f"      - a{half - 18}\n")]
    repo.write_raw("policies/b.yaml", (policy + fits).encode())
    assert run(repo, "validate").code == 0


# --- Bytes: what one process reads of a state (repo/bounds.py: MAX_STATE_BYTES).


def state_too_big(where: str) -> str:
    return (
        f"error: {where}: over {bounds.MAX_STATE_BYTES:,} bytes of entry files, more than "
        "ldifctl reads of one state (each entry is held in memory): keep large values out of "
        "the directory (`ignore_attributes` for photos), or split the directory into repos "
        "by base_dn\n"
    )


def test_a_blob_at_many_paths_counts_at_each(
    repo: DirectoryRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """200 paths of one 15 MiB blob, ~15 kB to push, took `plan` 43 s: git reads the blob
    once, ldifctl parsed it at each path. Each counts: refused before any is parsed."""
    data = sized(100_000)
    for n in range(20):
        repo.write_raw(f"{PEOPLE}/cn=x{n}.yaml", data)
    repo.commit("20 paths of one blob")
    monkeypatch.setattr(bounds, "MAX_STATE_BYTES", 20 * len(data) - 1)
    assert run_here(repo, "plan", "--base", "HEAD~", "--head", "HEAD") == (
        1, "", state_too_big("HEAD:directory")
    )


def test_a_working_tree_past_the_bytes_a_state_may_hold_is_refused(
    repo: DirectoryRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read from disk (the files git holds and those it does not), and from git; each
    file counted once, though a file git does not hold is read to be named by its
    content first."""
    for n in range(5):
        repo.write_raw(f"{PEOPLE}/cn=p{n}.yaml", sized(100_000, HEAD.replace("big", f"p{n}")))
    whole = sum(p.stat().st_size for p in (repo.root / "directory").rglob("*.yaml"))
    for committed in (False, True):
        monkeypatch.setattr(bounds, "MAX_STATE_BYTES", whole)
        shutil.rmtree(repo.root / ".git" / "ldifctl", ignore_errors=True)
        assert run_here(repo, "validate")[0] == 0, committed
        monkeypatch.setattr(bounds, "MAX_STATE_BYTES", whole - 1)
        shutil.rmtree(repo.root / ".git" / "ldifctl")
        assert run_here(repo, "validate") == (1, "", state_too_big("directory")), committed
        repo.commit("five people")
    assert run_here(repo, "export", "--rev", "HEAD") == (1, "", state_too_big("HEAD:directory"))


def test_the_policy_files_are_charged_the_nodes_they_hold(repo: DirectoryRepo) -> None:
    """A file of 190,000 characters of comments holds two nodes. Charged a bound of its
    length, it left 10,000 for the next file, and 20,000 listed names were refused."""
    repo.write_raw("policies/a.yaml", ("# " + "c" * 190_000 + "\nrules: {}\n").encode())
    policy = "rules:\n  required-attributes:\n    object_classes:\n      person:\n"
    items = "".join(f"      - a{i}\n" for i in range(20_000))
    repo.write_raw("policies/b.yaml", (policy + items).encode())
    done = run(repo, "validate")
    assert (done.code, done.err.splitlines()[-1]) == (0, "2 entries in directory: valid")


def test_the_policy_files_hold_16_mib_between_them(repo: DirectoryRepo) -> None:
    """63 policy files of 16 MiB of comments, a 23 kB pack, took `validate` 12.9 s and
    1.1 GB: each was read whole (the digest that keys the caches hashes every byte) and
    parsed. Together they hold 16 MiB, in the working tree and in a revision."""
    half = b"# " + b"x" * (MAX_FILE_BYTES // 2 - 3) + b"\n"
    repo.write_raw("policies/a.yaml", half)
    repo.write_raw("policies/b.yaml", half)
    assert run(repo, "validate").code == 0
    repo.write_raw("policies/c.yaml", b"#\n")
    advice = "more than they may hold together: keep data out of the policies"
    refused(run(repo, "validate"),
            f"error: policies: over {MAX_FILE_BYTES:,} bytes of policy files, {advice}\n")
    repo.commit("policies of 16 MiB and 2 bytes")
    refused(run(repo, "plan", "--base", "HEAD", "--head", "HEAD"),
            f"error: HEAD:policies: over {MAX_FILE_BYTES:,} bytes of policy files, {advice}\n")


@pytest.mark.parametrize(
    ("first", "unit", "last"),
    [("'", "a", "'"), ("'", "''", "'"), ('"', "a", '"'), ('"', "\\x01", '"'),
     ("a", " a", ""), ("a", ":a", "")],
    ids=["single", "single-escapes", "double", "double-escapes", "plain-words", "plain-colons"],
)
def test_a_long_scalar_at_the_limit_is_read_in_memory_of_its_size(
    repo: DirectoryRepo, first: str, unit: str, last: str
) -> None:
    """The patterns that read a scalar kept backtracking state for every character or
    repetition: a 16 MiB value in quotes (16 kB gzipped in a push) took `validate` 2.3 GB,
    and failed as an unexpected MemoryError under the 1 GiB the attack tests allow."""
    text = f"{HEAD}description: {first}"
    count = (MAX_FILE_BYTES - len(text) - len(last) - 1) // len(unit)
    repo.write_raw(WHERE, (text + unit * count + last + "\n").encode())
    validated = run(repo, "validate")
    assert validated.code == 0 and validated.err.endswith(": valid\n"), validated.err[-2000:]
    checked = run(repo, "fmt", "--check")
    assert "unexpected error" not in checked.err and checked.code in (0, 1), checked.err[-2000:]


def test_a_dump_of_one_byte_continuation_lines_is_read_in_memory_of_its_size(
    repo: DirectoryRepo,
) -> None:
    """16 MiB of ` a` continuation lines are 5.6M folds: the unfolding held a piece per
    fold and `diff` took 1.05 GB (a MemoryError under the attack tests' 1 GiB); it now
    takes ~110 MB, and the value is read whole."""
    head = f"dn: cn=big,{PEOPLE_DN}\nobjectClass: person\ncn: big\nsn: b\ndescription: a"
    folds = (MAX_FILE_BYTES - len(head) - 2) // 3
    (repo.root / "old.ldif").write_text(f"{head}\n\n")
    (repo.root / "new.ldif").write_text(head + "\n a" * folds + "\n\n")
    done = run(repo, "diff", "old.ldif", "new.ldif", "--format", "json")
    assert "unexpected error" not in done.err, done.err[-2000:]
    changes = json.loads(done.out)["changes"]
    assert [c["dn"] for c in changes] == [f"cn=big,{PEOPLE_DN}"], done.err[-2000:]
    assert "a" * (folds + 1) in done.out
