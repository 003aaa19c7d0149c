"""`drift --write` against a real slapd never overwrites nor removes an entry file holding
edits no commit has: it refuses before writing anything, names those files and says what to
do; `--force` overwrites them as it always did."""

from __future__ import annotations

from pathlib import Path

import servers
from live_kit import PEOPLE_DN, ldifctl, live_repo
from repo_kit import DirectoryRepo


def user(name: str) -> str:
    return (f"dn: cn={name},{PEOPLE_DN}\nobjectClass: inetOrgPerson\ncn: {name}\n"
            f"mail: {name}@domain.ro\nsn: {name}\n")


def dn(name: str) -> str:
    return f"cn={name},{PEOPLE_DN}"


def relpath(name: str) -> str:
    return f"directory/dc=net/dc=example/ou=people/cn={name}.yaml"


def synced(root: Path, server: servers.LdapServer) -> DirectoryRepo:
    """u1..u4 committed and on the server."""
    repo = live_repo(root, server)
    repo.populate({dn(f"u{i}"): user(f"u{i}") for i in range(1, 5)})
    repo.commit("synced")
    code, _, err = ldifctl(repo, "apply", "--yes")
    assert code == 0, err
    return repo


def files(repo: DirectoryRepo) -> dict[str, bytes]:
    return {str(p.relative_to(repo.root)): p.read_bytes()
            for p in (repo.root / "directory").rglob("*") if p.is_file()}


def test_uncommitted_edits_in_files_it_would_write_or_remove_are_refused(
    tmp_path: Path, slapd_env: servers.LdapServer
) -> None:
    repo = synced(tmp_path / "repo", slapd_env)
    changed = f"dn: {dn('u1')}\nchangetype: modify\nreplace: mail\nmail: moved@domain.ro\n"
    assert slapd_env.ldapmodify(changed).returncode == 0
    assert slapd_env.ldapmodify(f"dn: {dn('u3')}\nchangetype: delete\n").returncode == 0
    repo.write(dn("u1"), user("u1").replace("sn: u1", "sn: Edited"))  # changed both sides
    repo.write(dn("u2"), user("u2") + "description: mine\n")  # drift would undo it
    repo.git("add", repo.path(dn("u2")).as_posix())  # staged is still no commit
    repo.write(dn("u3"), "# keep this one\n" + user("u3"))  # the server deleted it
    repo.write(dn("u4"), "# a comment only: not drift\n" + user("u4"))
    before = files(repo)

    code, out, err = ldifctl(repo, "drift", "--write")
    assert code == 1
    assert out.startswith(f"dn: {dn('u3')}\nchangetype: add\n")  # drift is shown, as ever
    assert err.splitlines()[-5:] == [
        "error: drift --write would overwrite edits that no commit holds:",
        f"error: {relpath('u1')} (modified)",
        f"error: {relpath('u2')} (modified)",
        f"error: {relpath('u3')} (modified)",
        "error: nothing was written: commit these files, or stash them (git stash), then run "
        "drift --write again; or rerun with --force to overwrite them",
    ]
    assert files(repo) == before

    code, _, err = ldifctl(repo, "drift", "--write", "--force")
    assert code == 3, err
    assert err.splitlines()[-1] == "2 file(s) written, 1 removed in directory"
    assert repo.path(dn("u1")).read_text() == user("u1").replace("u1@domain.ro", "moved@domain.ro")
    assert repo.path(dn("u2")).read_text() == user("u2")
    assert not repo.path(dn("u3")).exists()
    assert repo.path(dn("u4")).read_bytes() == before[relpath("u4")]
    assert ldifctl(repo, "drift")[0] == 0


def test_uncommitted_edits_it_would_not_touch_do_not_stop_it(
    tmp_path: Path, slapd_env: servers.LdapServer
) -> None:
    repo = synced(tmp_path / "repo", slapd_env)
    changed = f"dn: {dn('u1')}\nchangetype: modify\nreplace: mail\nmail: moved@domain.ro\n"
    assert slapd_env.ldapmodify(changed).returncode == 0
    repo.write(dn("u4"), "# a comment only: not drift\n" + user("u4"))

    code, _, err = ldifctl(repo, "drift", "--write")
    assert code == 3, err
    assert err.splitlines()[-1] == "1 file(s) written, 0 removed in directory"
    assert repo.path(dn("u4")).read_text().startswith("# a comment only: not drift\n")


def test_a_deleted_file_the_server_still_holds_is_not_brought_back(
    tmp_path: Path, slapd_env: servers.LdapServer
) -> None:
    """Deleting a file is an edit too: writing it back would undo it."""
    repo = synced(tmp_path / "repo", slapd_env)
    repo.remove(dn("u2"))
    code, _, err = ldifctl(repo, "drift", "--write")
    assert code == 1
    assert f"error: {relpath('u2')} (deleted)" in err.splitlines()
    assert not repo.path(dn("u2")).exists()


def test_edits_git_status_hides_are_refused_too(
    tmp_path: Path, slapd_env: servers.LdapServer
) -> None:
    """A file marked skip-worktree or assume-unchanged (`git update-index`): git status
    shows none of its edits, and `drift --write` overwrote them."""
    repo = synced(tmp_path / "repo", slapd_env)
    for name in ("u1", "u2", "u3"):
        moved = f"dn: {dn(name)}\nchangetype: modify\nreplace: mail\nmail: {name}@moved.ro\n"
        assert slapd_env.ldapmodify(moved).returncode == 0
    repo.write(dn("u1"), user("u1").replace("sn: u1", "sn: Edited"))
    repo.git("update-index", "--skip-worktree", relpath("u1"))
    repo.write(dn("u2"), user("u2").replace("sn: u2", "sn: Edited"))
    repo.git("update-index", "--assume-unchanged", relpath("u2"))
    repo.git("update-index", "--assume-unchanged", relpath("u3"))  # flagged, not edited
    assert repo.git("status", "--porcelain") == ""
    before = files(repo)

    code, _, err = ldifctl(repo, "drift", "--write")
    assert code == 1, err
    assert err.splitlines()[-4:] == [
        "error: drift --write would overwrite edits that no commit holds:",
        f"error: {relpath('u1')} (marked skip-worktree)",
        f"error: {relpath('u2')} (marked assume-unchanged)",
        "error: nothing was written: commit these files, or stash them (git stash), then run "
        "drift --write again; or rerun with --force to overwrite them",
    ]
    assert files(repo) == before
    code, _, err = ldifctl(repo, "drift", "--write", "--force")
    assert code == 3, err
    assert "u1@moved.ro" in repo.path(dn("u1")).read_text()
