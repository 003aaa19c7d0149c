"""The state cache behind `plan`: content identities, and never a stale answer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from mail_kit import example_repo
from repo_kit import DirectoryRepo, run

from ldifctl.cache import findings as findings_cache
from ldifctl.cache import states as state_cache
from ldifctl.cache.head_tree import HeadTree
from ldifctl.cache.judged import blob_in
from ldifctl.model.errors import LdifctlError
from ldifctl.repo import git_blobs, gitrepo
from ldifctl.repo.entry_names import hidden
from ldifctl.repo.readers import revision, worktree
from ldifctl.repo.workspace import open_workspace
from ldifctl.sources.specs import WORKTREE

CENTRAL = "directory/dc=net/dc=example/ou=people/cn=central.yaml"
JANE = "directory/dc=net/dc=example/ou=Mail/uid=janedoe.yaml"
SELF_FORWARD = (
    "directory/dc=net/dc=example/ou=people/cn=central.yaml:13: error [no-self-forward] forwards "
    "to info@company.com, one of its own alias addresses (mailAlternateAddress): mail to it comes "
    "straight back to this entry; forward to the mailbox it should reach, or remove "
    "info@company.com from mailAlternateAddress"
)


def on_disk(repo: DirectoryRepo) -> dict[str, str]:
    """The blob id of every entry file's bytes as they are now."""
    folder = repo.root / "directory"
    files = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*.yaml")}
    return {rel: git_blobs.blob_id(p.read_bytes()) for rel, p in files.items() if not hidden(rel)}


def head_ids(repo: DirectoryRepo) -> dict[str, str]:
    """The content ids `plan` names the working tree by (HEAD plus what git reports)."""
    ws = open_workspace(repo.root, {})
    base, head = revision(ws, "HEAD"), worktree(ws)
    changed = gitrepo.changed_paths(ws.repo, base.commit, None, base.prefix)
    state = HeadTree(base, head, changed)
    return {path: blob_in(content) for path, content in state.files().items()}


def edit(repo: DirectoryRepo, relpath: str, old: str, new: str) -> None:
    path = repo.root / relpath
    path.write_text(path.read_text().replace(old, new))


def forward_to_itself(repo: DirectoryRepo, on: bool = True) -> None:
    """Make cn=central forward to one of its own alias addresses (or undo that)."""
    good, bad = "central@company.com", "info@company.com"
    old, new = (good, bad) if on else (bad, good)
    edit(repo, CENTRAL, f"mailForwardingAddress: {old}", f"mailForwardingAddress: {new}")


@pytest.fixture
def repo(tmp_path: Path) -> DirectoryRepo:
    return example_repo(tmp_path)


def test_the_head_state_is_named_by_the_content_of_every_file(repo: DirectoryRepo) -> None:
    assert head_ids(repo) == on_disk(repo)
    ws = open_workspace(repo.root, {})
    base = revision(ws, "HEAD")
    # Nothing changed: the base's listing names the state, not a copy of it (14 MB at 100k).
    assert HeadTree(base, worktree(ws), set()).files() is base.files()
    edit(repo, CENTRAL, "sn: Central", "sn: Middle")  # unstaged
    edit(repo, JANE, "cn: Jane Doe", "cn: Jane Roe")  # same size
    repo.write_raw("directory/dc=net/dc=example/ou=people/cn=new.yaml", b"dn: cn=new\n")
    repo.remove("cn=user,ou=people,dc=example,dc=net")
    assert head_ids(repo) == on_disk(repo)
    repo.git("add", "-A")  # staged
    assert head_ids(repo) == on_disk(repo)


def test_dot_files_in_the_directory_are_no_entries_to_plan(repo: DirectoryRepo) -> None:
    repo.write_raw("directory/dc=net/.gitkeep", b"")  # untracked
    repo.write_raw("directory/dc=net/dc=example/.notes.swp", b"\x00binary")
    repo.write_raw("directory/dc=net/.trash/cn=old.yaml", b"dn: cn=old\n")
    assert head_ids(repo) == on_disk(repo)
    edit(repo, CENTRAL, "sn: Central", "sn: Middle")
    code, _, err = run(repo, "plan")
    assert (code, err.startswith("HEAD -> working tree: 1 modify ")) == (0, True), err
    assert run(repo, "validate")[1:] == ("", "17 entries in directory: valid\n")
    (repo.root / "directory/dc=net/.trash/cn=old.yaml").unlink()
    assert run(repo, "validate")[1:] == ("", "17 entries in directory: valid\n")


def test_plan_never_answers_from_a_stale_cache(repo: DirectoryRepo) -> None:
    edit(repo, CENTRAL, "sn: Central", "sn: Middle")
    assert run(repo, "plan")[0] == 0
    assert run(repo, "plan")[0] == 0  # served from the cache
    # The same file changes again (still "changed since HEAD"): a new state, a new answer.
    forward_to_itself(repo)
    code, _, err = run(repo, "plan")
    assert (code, SELF_FORWARD in err.splitlines()) == (1, True)
    forward_to_itself(repo, False)
    assert run(repo, "plan")[0] == 0


def test_plan_between_revisions_uses_the_cache_and_stays_right(repo: DirectoryRepo) -> None:
    forward_to_itself(repo)
    repo.commit("a self-forward")
    for _ in range(2):
        code, _, err = run(repo, "plan", "--base", "HEAD~1", "--head", "HEAD")
        assert (code, f"HEAD:{SELF_FORWARD}" in err.splitlines()) == (1, True)
    assert run(repo, "plan", "--base", "HEAD~1", "--head", "HEAD~1")[0] == 0


def test_the_policies_and_the_settings_are_part_of_the_key(repo: DirectoryRepo) -> None:
    forward_to_itself(repo)
    assert run(repo, "plan")[0] == 1
    relaxed = "rules:\n  no-self-forward: off\n  dangling-forward: off\n"
    (repo.root / "policies" / "mail.yaml").write_text(relaxed)
    repo.git("add", "policies")
    repo.git("commit", "-qm", "relax")
    assert run(repo, "plan")[0] == 0  # the base's policies changed: a new key
    config = repo.root / "ldifctl.yaml"
    config.write_text(config.read_text().replace("ou=Domains,dc=example", "ou=Nowhere,dc=example"))
    code, _, err = run(repo, "plan")  # the change's own settings judge nothing
    assert (code, err.count("[hosted-domain]"), "[settings-source]" in err) == (0, 0, True)
    repo.git("commit", "-qam", "settings")
    code, _, err = run(repo, "plan")  # the base's settings changed: a new key
    assert (code, err.count("[hosted-domain]")) == (1, 14)  # no domain is hosted any more


def test_a_broken_cache_file_is_ignored(repo: DirectoryRepo) -> None:
    assert run(repo, "plan")[0] == 0
    folder = repo.root / ".git" / "ldifctl"
    # the untracked files' record is there once the folders are older than its listing
    names = sorted(p.name for p in folder.iterdir() if not p.name.startswith("untracked."))
    assert names[:2] == ["entries.marshal", "findings.json"]
    assert len(names) == 3 and names[2].startswith("judged-")  # the plan judged last
    (folder / "entries.marshal").write_bytes(b"\x00garbage")
    (folder / "findings.json").write_text("{not json")
    (folder / names[2]).write_bytes(b"\x00garbage")
    (folder / "untracked.marshal").write_bytes(b"\x00garbage")
    forward_to_itself(repo)
    code, _, err = run(repo, "plan")
    assert (code, SELF_FORWARD in err.splitlines()) == (1, True)


def test_a_second_file_for_a_cached_entry_is_named_with_it(repo: DirectoryRepo) -> None:
    ws = open_workspace(repo.root, {})
    _, save = state_cache.load_snapshot(ws, WORKTREE)
    assert save is not None
    save()  # every entry is cached now
    twin = (repo.root / JANE).read_text().replace("uid=janedoe,", "uid=JaneDoe,")
    (repo.root / JANE.replace("uid=janedoe", "uid=JaneDoe")).write_text(twin)
    with pytest.raises(LdifctlError) as caught:
        state_cache.load_snapshot(ws, WORKTREE)
    assert str(caught.value) == (
        f"{JANE}:1: DN 'uid=janedoe,ou=Mail,dc=example,dc=net' is the same entry as "
        f"{JANE.replace('uid=janedoe', 'uid=JaneDoe')}:1 ('uid=JaneDoe,ou=Mail,dc=example,dc=net') "
        "under LDAP rules: keep one of the two"
    )


def without_git(repo: DirectoryRepo, tmp_path: Path) -> DirectoryRepo:
    """A copy of the repo's files outside git: validate parses every file there."""
    copy = tmp_path / "plain"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(repo.root, copy, ignore=shutil.ignore_patterns(".git"))
    plain = DirectoryRepo.__new__(DirectoryRepo)  # no `git init`: the files alone
    plain.root = copy
    return plain


def test_validate_answers_from_the_cache_yet_never_a_stale_answer(
    repo: DirectoryRepo, tmp_path: Path
) -> None:
    findings = repo.root / ".git/ldifctl" / findings_cache.FINDINGS
    assert run(repo, "validate") == (0, "", "17 entries in directory: valid\n")
    assert findings.is_file()
    assert run(repo, "validate") == (0, "", "17 entries in directory: valid\n")
    forward_to_itself(repo)
    for _ in range(2):  # judged, then answered from the cache: the same
        code, _, err = run(repo, "validate")
        lines = err.splitlines()
        assert (code, SELF_FORWARD in lines) == (1, True)
        assert lines[-1] == "17 entries in directory: 1 error(s)"
    assert run(without_git(repo, tmp_path), "validate") == run(repo, "validate")
    forward_to_itself(repo, False)
    assert run(repo, "validate") == (0, "", "17 entries in directory: valid\n")


def test_validate_through_the_cache_reports_what_parsing_every_file_reports(
    repo: DirectoryRepo, tmp_path: Path
) -> None:
    run(repo, "validate")  # every entry cached
    jane = (repo.root / JANE).read_text()
    repo.write_raw("directory/dc=net/dc=example/ou=Mail/uid=JaneDoe.yaml", jane.encode())
    repo.write_raw("directory/dc=net/dc=example/ou=people/cn=broken.yaml", b"dn: [\n")
    edit(repo, CENTRAL, "sn: Central", "sn: [")
    for _ in range(2):  # nothing broken is cached
        code, out, err = run(repo, "validate")
        assert (code, out) == (1, "")
        assert err == run(without_git(repo, tmp_path), "validate")[2]
        assert "cn=broken.yaml:2: malformed YAML" in err and "is the same entry as" in err
    (repo.root / "directory/dc=net/dc=example/ou=people/cn=broken.yaml").unlink()
    edit(repo, CENTRAL, "sn: [", "sn: Central")
    code, _, err = run(repo, "validate")
    assert (code, err == run(without_git(repo, tmp_path), "validate")[2]) == (1, True)
    assert "is the same entry as" in err


def test_a_file_git_ignores_is_judged_as_apply_would_send_it(
    repo: DirectoryRepo, tmp_path: Path
) -> None:
    (repo.root / ".gitignore").write_text("directory/dc=net/dc=example/ou=people/cn=x*.yaml\n")
    edit(repo, CENTRAL, "sn: Central", "sn: Middle")
    ignored = "directory/dc=net/dc=example/ou=people/cn=xtra.yaml"
    repo.write_raw(ignored, b"dn: cn=xtra,ou=people,dc=example,dc=net\nobjectClass: person\n")
    assert head_ids(repo) == on_disk(repo)
    code, _, err = run(repo, "validate")
    assert (code, err) == run(without_git(repo, tmp_path), "validate")[::2]
    assert code == 1 and "cn=xtra.yaml" in err  # person needs cn and sn: a schema error

