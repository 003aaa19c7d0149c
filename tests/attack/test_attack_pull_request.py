"""A pull request author's DNs, paths and settings: nothing outside base_dn is written,
no file lands outside directory/, and the rules that judge a change stay the base's."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
import servers
from attack_kit import Done, refused, run, run_here
from live_kit import PEOPLE_DN, live_repo
from mail_kit import example_repo
from repo_kit import DirectoryRepo, base_entries, base_repo

VICTIM = f"cn=victim,{PEOPLE_DN}"


def person(dn: str, cn: str, mail: str) -> str:
    return f"dn: {json.dumps(dn)}\nobjectClass: [inetOrgPerson]\ncn: {cn}\nsn: s\nmail: {mail}\n"


@pytest.fixture
def live(
    tmp_path: Path, clean_slapd: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> DirectoryRepo:
    """A repo managing ou=people, in sync with the session slapd (which holds a victim)."""
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", clean_slapd.root_pw)
    repo = live_repo(tmp_path / "repo", clean_slapd)
    repo.write(VICTIM, person(VICTIM, "victim", "victim@example.org"))
    assert run_here(repo, "apply", "--yes").code == 0
    repo.commit("in sync")
    return repo


HOSTILE_LAYOUTS = {
    "outside-base-dn": {
        "directory/dc=net/dc=example/ou=admins.yaml": (
            "dn: ou=admins,dc=example,dc=net\nobjectClass: organizationalUnit\nou: admins\n"
        ),
        "directory/dc=net/dc=example/ou=admins/cn=evil.yaml": person(
            "cn=evil,ou=admins,dc=example,dc=net", "evil", "evil@example.org"
        ),
    },
    "dn-disagrees-with-path": {
        "directory/dc=net/dc=example/ou=people/cn=innocent.yaml": person(
            VICTIM, "victim", "attacker@evil.example"
        ),
    },
    "two-files-one-dn": {
        "directory/dc=net/dc=example/ou=people/cn=Victim.yaml": person(
            "cn=Victim,ou=people,dc=example,dc=net", "Victim", "attacker@evil.example"
        ),
    },
    "escaped-name-of-another-dn": {
        "directory/dc=net/dc=example/ou=people/cn=victim%2Cou=admins.yaml": person(
            "cn=victim,ou=admins,dc=example,dc=net", "victim", "attacker@evil.example"
        ),
    },
}


@pytest.mark.parametrize("files", HOSTILE_LAYOUTS.values(), ids=HOSTILE_LAYOUTS.keys())
def test_hostile_dns_and_paths_send_nothing(
    live: DirectoryRepo, clean_slapd: servers.LdapServer, files: dict[str, str]
) -> None:
    """Outside base_dn, dn: of another entry, two files for one DN: `apply --force` refuses."""
    before = clean_slapd.search_all()
    for relpath, text in files.items():
        live.write_raw(relpath, text.encode())
    where = next(iter(files))
    forced = run(live, "apply", "--yes", "--force")
    refused(forced, where)
    assert forced.out == ""
    assert clean_slapd.search_all() == before


def hostile_ldif(names: list[str]) -> str:
    """Content LDIF of ou=people and one person per RDN value, every DN in base64."""
    records = [(PEOPLE_DN, "objectClass: organizationalUnit\nou: people\n")]
    for cn in names:
        value = base64.b64encode(cn.encode()).decode()
        records.append((f"cn={cn},{PEOPLE_DN}", f"objectClass: person\ncn:: {value}\nsn: s\n"))
    return "".join(
        f"dn:: {base64.b64encode(dn.encode()).decode()}\n{body}\n" for dn, body in records
    )


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file() and ".git" not in p.parts}


def test_import_writes_nothing_outside_directory(tmp_path: Path) -> None:
    """RDNs like `../../tmp/x`, `..`, `a/../b` become escaped file names in directory/."""
    repo = DirectoryRepo(tmp_path / "repo", f"base_dn: {PEOPLE_DN}\n")
    names = ["../../../../../../tmp/escaped", "..", ".", "a/../../b", "%2e%2e%2f"]
    source = tmp_path / "hostile.ldif"
    source.write_text(hostile_ldif(names))
    outside = files_under(tmp_path)

    done = run(repo, "import", "--from-ldif", str(source))
    assert done.code == 0, done.err
    written = files_under(tmp_path) - outside
    assert len(written) == len(names) + 1
    assert all(p.is_relative_to(repo.root / "directory") for p in written)
    assert run_here(repo, "diff", str(source), "worktree").out == ""


def test_an_rdn_too_long_for_a_file_name_is_an_error(tmp_path: Path) -> None:
    """A 300-character RDN value (from an LDIF or a server): an error naming the DN.
    (Was a hole: "unexpected error (OSError)" after writing some files; see
    test_long_rdns.py for the limit and drift --write.)"""
    repo = DirectoryRepo(tmp_path / "repo", f"base_dn: {PEOPLE_DN}\n")
    source = tmp_path / "long.ldif"
    source.write_text(hostile_ldif(["x" * 300]))
    refused(run(repo, "import", "--from-ldif", str(source)), "cn=xxx")


# --- The rules that judge a change.


def self_forward(repo: DirectoryRepo) -> None:
    """The worked example's user forwards to one of its own alias addresses."""
    path = repo.root / "directory/dc=net/dc=example/ou=people/cn=user.example.yaml"
    text = path.read_text().replace(
        "mailForwardingAddress: new.address@domain.ro",
        "mailForwardingAddress: old.address@domain.com",
    )
    path.write_text(text)


def plan_of_pull_request(repo: DirectoryRepo) -> Done:
    repo.git("checkout", "-q", "-b", "pull-request")
    repo.commit("the pull request")
    return run_here(repo, "plan", "--base", "main", "--head", "HEAD")


def duplicate_uid(repo: DirectoryRepo) -> str:
    """Break the example's custom rule unique-uid; returns the rule's id."""
    uid = repo.root / "directory/dc=net/dc=example/ou=Mail/uid=johndoe.yaml"
    uid.write_text(uid.read_text().replace("uid: johndoe", "uid: [johndoe, janedoe]"))
    return "unique-uid"


def forward_to_itself(repo: DirectoryRepo) -> str:
    self_forward(repo)
    return "no-self-forward"


RELAX = "rules:\n  no-self-forward: off\n  dangling-forward: off\n  unique-uid: off\n"
VIOLATIONS = [forward_to_itself, duplicate_uid]


@pytest.mark.parametrize("violate", VIOLATIONS, ids=["self-forward", "duplicate-uid"])
def test_a_pull_request_cannot_relax_the_policies_it_is_judged_by(
    tmp_path: Path, violate: Callable[[DirectoryRepo], str]
) -> None:
    """A new policy file switching the rules off does not change the verdict."""
    repo = example_repo(tmp_path)
    rule = violate(repo)
    (repo.root / "policies" / "zz-relax.yaml").write_text(RELAX)
    done = plan_of_pull_request(repo)
    assert (done.code, f"error [{rule}]" in done.err) == (1, True), done.err


def repoint_policies(repo: DirectoryRepo) -> None:
    config = repo.root / "ldifctl.yaml"
    config.write_text(config.read_text().replace("policies: policies", "policies: nothing"))


def blind_the_alias_table(repo: DirectoryRepo) -> None:
    config = repo.root / "ldifctl.yaml"
    text = config.read_text().replace("(mailAlternateAddress=%s)", "(mailAlternateAddress=%s-x)")
    config.write_text(text)


@pytest.mark.parametrize(
    ("violate", "blind"),
    [(duplicate_uid, repoint_policies), (forward_to_itself, blind_the_alias_table)],
    ids=["policies-repointed", "mail-table-edited"],
)
def test_a_pull_request_cannot_blind_the_rules_through_ldifctl_yaml(
    tmp_path: Path,
    violate: Callable[[DirectoryRepo], str],
    blind: Callable[[DirectoryRepo], None],
) -> None:
    """Editing ldifctl.yaml in the same pull request does not change the verdict."""
    repo = example_repo(tmp_path)
    rule = violate(repo)
    blind(repo)
    done = plan_of_pull_request(repo)
    assert (done.code, f"error [{rule}]" in done.err) == (1, True), done.err


def test_a_file_name_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    """A PR adds `cn=caf\\xe9.yaml` (Latin-1): an error naming the folder and file."""
    repo = DirectoryRepo(tmp_path / "repo")
    repo.populate(base_entries())
    folder = repo.root / "directory/dc=net/dc=example/ou=people"
    folder.mkdir()
    (folder / "cn=ok.yaml").write_text(person("cn=ok,ou=people,dc=example,dc=net", "ok", "o@x"))
    with open(os.fsencode(folder) + b"/cn=caf\xe9.yaml", "wb") as latin1:
        latin1.write(b"dn: cn=x\n")
    refused(run(repo, "validate"), "directory/dc=net/dc=example/ou=people/cn=caf")


NOT_UTF8 = (
    "the name is not UTF-8: rename it in UTF-8 (each folder and file name is an RDN of the "
    "entry's DN, and DNs are UTF-8)"
)


def test_a_name_that_is_not_utf8_is_the_same_error_in_every_command(tmp_path: Path) -> None:
    """On disk and committed (git gives the raw bytes with -z), in a folder's name or a
    file's: one error, the undecodable bytes shown escaped; nothing is planned."""
    repo = DirectoryRepo(tmp_path / "repo")
    repo.populate(base_entries())
    repo.commit("base")
    people = os.fsencode(repo.root / "directory/dc=net/dc=example/ou=people")
    os.makedirs(people + b"/ou=\xff")
    for name in (b"/cn=caf\xe9.yaml", b"/ou=\xff/cn=x.yaml"):
        with open(people + name, "wb") as latin1:
            latin1.write(b"dn: cn=x\n")
    shown = [f"directory/dc=net/dc=example/ou=people/{n}" for n in ("cn=caf\\xe9.yaml",
                                                                       "ou=\\xff/cn=x.yaml")]
    on_disk = "".join(f"error: {where}: {NOT_UTF8}\n" for where in shown)
    for args in (["validate"], ["plan"], ["fmt"], ["fmt", "--check"], ["apply", "--dry-run"],
                 ["drift"]):
        assert run_here(repo, *args) == Done(1, "", on_disk), args
    repo.commit("the pull request")
    committed = "".join(f"error: HEAD:{where}: {NOT_UTF8}\n" for where in shown)
    for args in (["export", "--rev", "HEAD"], ["plan", "--base", "HEAD~1", "--head", "HEAD"]):
        assert run_here(repo, *args) == Done(1, "", committed), args
    assert run_here(repo, "validate") == Done(1, "", on_disk)


def test_a_policy_file_name_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    repo = DirectoryRepo(tmp_path / "repo")
    repo.populate(base_entries())
    repo.write_raw("policies/ok.yaml", b"rules: {}\n")
    (repo.root / os.fsdecode(b"policies/caf\xe9.yaml")).write_bytes(b"rules: {}\n")
    error = "error: policies/caf\\xe9.yaml: the name is not UTF-8: rename it\n"
    assert run_here(repo, "validate") == Done(1, "", error)
    repo.commit("policies")
    assert run_here(repo, "plan", "--base", "HEAD") == Done(1, "", error.replace(": p", ": HEAD:p"))


def test_a_path_argument_that_is_not_utf8_is_shown_escaped(tmp_path: Path) -> None:
    """Every message that quotes a path shows its undecodable bytes as `\\xe9`."""
    repo = DirectoryRepo(tmp_path / "repo")
    name = os.fsdecode(b"caf\xe9.txt")
    (repo.root / name).write_bytes(b"x")
    assert run(repo, "validate", name) == Done(
        1, "", "error: caf\\xe9.txt: outside the files ldifctl reads: validate checks the entry "
        "files in directory/, the policy files in policies/ and ldifctl.yaml\n",
    )


def test_a_ca_file_in_the_repo_is_never_a_link(tmp_path: Path) -> None:
    """`server.ca_file: ca.pem` with `ca.pem -> /etc/shadow` committed: every command
    refuses it at its line, naming the link, never its target."""
    repo = DirectoryRepo(tmp_path / "repo", "base_dn: dc=example,dc=net\nserver:\n"
                         "  uri: ldaps://127.0.0.1:1\n  ca_file: ca.pem\n")
    repo.populate(base_entries())
    (repo.root / "ca.pem").symlink_to("/etc/shadow")
    repo.commit("a CA of the pull request's choosing")
    for args in (["validate"], ["plan"], ["apply", "--dry-run"], ["drift"], ["fmt"]):
        done = run(repo, *args)
        refused(done, "error: ldifctl.yaml:4: server.ca_file: ca.pem: a symbolic link, not a "
                "CA file")
        assert ("shadow" in done.err, done.out) == (False, ""), args


def test_an_ldif_file_in_the_repo_is_never_read_through_a_link(tmp_path: Path) -> None:
    """`ldifctl diff dumps/old.ldif dumps/new.ldif` in CI, with the pull request's
    new.ldif a link to a file of the runner, or its folder a link to another folder: the
    file's lines would be quoted in the errors. Refused, naming the link, never the
    target's text. A link outside the repository is the caller's own, and is followed."""
    secret = tmp_path / "runner" / "new.ldif"
    secret.parent.mkdir()
    secret.write_text("dn: dc=example,dc=net\nsecret-token-7f3a\n")
    repo = DirectoryRepo(tmp_path / "repo")
    repo.populate(base_entries())
    dumps = repo.root / "dumps"
    dumps.mkdir()
    (dumps / "old.ldif").write_text("dn: dc=example,dc=net\nobjectClass: domain\ndc: example\n")
    (dumps / "new.ldif").symlink_to(secret)
    (repo.root / "linked").symlink_to(secret.parent)
    link_error = ("dumps/new.ldif", "an LDIF file")
    folder_error = ("linked", "a folder")
    cases = (
        (["diff", "dumps/old.ldif", "dumps/new.ldif"], link_error),
        (["diff", "dumps/new.ldif", "dumps/old.ldif"], link_error),
        (["diff", "dumps/old.ldif", "linked/new.ldif"], folder_error),
        (["import", "--from-ldif", "dumps/new.ldif"], link_error),
    )
    refused_showing_none(repo, cases, "secret-token")
    outside = tmp_path / "mine.ldif"
    outside.symlink_to(secret)
    done = run(repo, "diff", "dumps/old.ldif", str(outside))
    assert (done.code, done.err) == (
        1, f"error: {outside}:2: not valid LDIF (no value-spec in 'secret-token-7f3a'): fix the "
        "record\n",
    )


def test_a_folder_of_entry_files_in_the_repo_is_never_read_through_a_link(
    tmp_path: Path,
) -> None:
    """`ldifctl diff snapshots/old worktree`, the pull request having made snapshots/old a
    link to a folder of the runner: its file names and their text would be quoted in the
    errors. Refused, naming the link; a linked folder on the way too."""
    runner = tmp_path / "runner"
    (runner / "inner").mkdir(parents=True)
    for folder in (runner, runner / "inner"):
        (folder / "cn=x.yaml").write_text("secret-token-7f3a: [1]\n")
    repo = DirectoryRepo(tmp_path / "repo")
    repo.populate(base_entries())
    (repo.root / "snapshots").mkdir()
    (repo.root / "snapshots" / "old").symlink_to(runner)
    (repo.root / "linked").symlink_to(runner)
    named = ("snapshots/old", "an LDIF file or a folder of entry files")  # by its name alone
    cases = (
        (["diff", "snapshots/old", "worktree"], named),
        (["plan", "--base", "snapshots/old"], named),
        (["diff", "linked/inner", "worktree"], ("linked", "a folder")),
    )
    refused_showing_none(repo, cases, "secret-token", "cn=x")


@pytest.mark.parametrize("target", ["a file", "a folder", "nothing"])
def test_what_a_link_in_the_repo_points_to_changes_no_answer(
    tmp_path: Path, target: str
) -> None:
    """Were a link to a file of the runner refused and one to nothing reported missing,
    a pull request could learn from the CI log which of the runner's paths exist, and
    whether each is a file or a folder. Every named state, and a name that is also a
    branch, is refused alike, from `lstat` alone, whatever stands at the target."""
    runner = tmp_path / "runner"
    runner.mkdir()
    pointed = {"a file": runner / "key", "a folder": runner / "etc", "nothing": runner / "none"}
    pointed["a file"].write_text("secret-token-7f3a\n")
    pointed["a folder"].mkdir()
    (pointed["a folder"] / "new.ldif").write_text("secret-token-7f3a\n")
    repo = base_repo(tmp_path / "repo")  # committed: `main` is a branch
    (repo.root / "dumps").mkdir()
    (repo.root / "dumps" / "old.ldif").write_text("dn: dc=example,dc=net\n")
    for name in ("dumps/new.ldif", "snapshot", "linked", "main"):
        (repo.root / name).symlink_to(pointed[target])
    cases = (
        (["diff", "dumps/old.ldif", "dumps/new.ldif"], ("dumps/new.ldif", "an LDIF file")),
        (["diff", "snapshot", "worktree"], ("snapshot", "an LDIF file or a folder of entry files")),
        (["diff", "linked/new.ldif", "worktree"], ("linked", "a folder")),
        (["import", "--from-ldif", "dumps/new.ldif"], ("dumps/new.ldif", "an LDIF file")),
    )
    refused_showing_none(repo, cases, "secret-token")
    assert run(repo, "diff", "snapshot", "worktree").err == (
        "error: snapshot: a symbolic link, not an LDIF file or a folder of entry files: ldifctl "
        "never follows a link nor reads another repository's files; put the real file or "
        "folder here, or remove it\n"
    )
    done = run(repo, "diff", "main", "worktree")  # also the repo's branch
    assert (done.code, done.out, done.err) == (
        1, "", "error: main is both a link and a git revision: write ./main for the link, or "
        "main^{commit} (refs/heads/main for a branch) for the revision\n"
    )


def test_postfix_maps_never_write_nor_read_through_a_link_in_the_repo(tmp_path: Path) -> None:
    """`ldifctl postfix-maps` writes to `postfix/` by default; the pull request made it a
    link to a folder of the runner: nothing is written there. `--check postfix` would
    print the settings of the folder it points to as differences: refused too."""
    runner = tmp_path / "runner"
    runner.mkdir()
    (runner / "main.cf").write_text("secret_setting = token-7f3a\n")
    repo = example_repo(tmp_path)
    (repo.root / "postfix").symlink_to(runner)
    repo.commit("postfix/ of the pull request's choosing")
    cases = (
        (["postfix-maps"], ("postfix", "a folder for Postfix's files")),
        (["postfix-maps", "--output-dir", "postfix/maps"], ("postfix", "a folder")),
        (["postfix-maps", "--check", "postfix"], ("postfix", "a folder of deployed Postfix files")),
    )
    refused_showing_none(repo, cases, "token-7f3a")
    assert sorted(p.name for p in runner.iterdir()) == ["main.cf"]


def refused_showing_none(
    repo: DirectoryRepo, cases: tuple[tuple[list[str], tuple[str, str]], ...], *secrets: str
) -> None:
    """Each command is refused with one error, naming the link (its path, what should be
    there); no output holds any of `secrets`."""
    for args, (link, what) in cases:
        done = run(repo, *args)
        noun = " or ".join(n for n in ("file", "folder") if n in what.split())
        refused(done, link)
        assert done.err == (
            f"error: {link}: a symbolic link, not {what}: ldifctl never follows a link nor "
            f"reads another repository's files; put the real {noun} here, or remove it\n"
        ), args
        shown = done.out + done.err
        assert ([s for s in secrets if s in shown], done.out) == ([], ""), args
