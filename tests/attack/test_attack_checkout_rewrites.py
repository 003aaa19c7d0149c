"""A pull request whose `.gitattributes` makes git rewrite files on checkout.

Its plan is read from the commit, as CI plans a pull request; after the merge, `apply`
read the files a checkout wrote. With `working-tree-encoding=SHIFT_JIS` a `¥` in the
commit is a `\\` on disk, so a quoted value ends elsewhere and the file holds other keys;
with a `filter` whose driver the runner's config has (git-lfs), the file on disk is
whatever the driver makes of it. Either way the plan the reviewers approved showed no
forward, and `apply` sent one to a thief. Now a whole state of the working tree is read
as git holds it (a file git reports unchanged is its committed blob), and a file ldifctl
reads from disk is refused when git rewrites it, naming the file and the attribute
(repo/checkout_rewrites.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import servers
from attack_kit import run
from mail_kit import example_repo
from repo_kit import DirectoryRepo

USER_FILE = "directory/dc=net/dc=example/ou=people/cn=user.yaml"
USER_DN = "cn=user,ou=people,dc=example,dc=net"
FORWARD = "mailForwardingAddress: user@new-domain.com\n"
# In the commit the thief's line is inside `title`; checked out as SHIFT_JIS, `¥` is `\\`,
# `"moved\\"` goes on to the next `"`, and the line is a key that replaces the forward.
HIDDEN = (
    'description: "moved¥"\n' + FORWARD + "title: 'Mail\"\nmailForwardingAddress: "
    "thief@evil.example\n#'\n"
)
# A smudge driver as the runner's git config might hold one (git-lfs installs its own),
# with the clean driver that undoes it: git calls the checkout unchanged.
SMUDGE, CLEAN = (f"sed s/{a}/{b}/" for a, b in [
    ("user@new-domain.com", "thief@evil.example"), ("thief@evil.example", "user@new-domain.com")
])

ATTACKS = {
    "working-tree-encoding": (f"{USER_FILE} working-tree-encoding=SHIFT_JIS\n", HIDDEN, (),
                              "working-tree-encoding: SHIFT_JIS"),
    "filter": (f"{USER_FILE} filter=swap\n", "description: moved\n" + FORWARD,
               ("-c", f"filter.swap.smudge={SMUDGE}", "-c", f"filter.swap.clean={CLEAN}"),
               "filter: swap"),
}
# What the reviewers saw: the pull request's plan, read from its commit.
REVIEWED = {
    "working-tree-encoding": (
        f"dn: {USER_DN}\nchangetype: modify\nadd: description\n"
        "description:: bW92ZWTCpQ==\n-\nadd: title\n"
        'title: Mail" mailForwardingAddress: thief@evil.example #\n-\n\n'
    ),
    "filter": f"dn: {USER_DN}\nchangetype: modify\nadd: description\ndescription: moved\n-\n\n",
}
# Commands that read entry files from disk, not as git holds them: `fmt` rewrites them, and
# a plan from another base reads the files that differ from it.
FROM_DISK = [("fmt", "--check"), ("plan", "--base", "HEAD~1")]


def refusal(shown: str, attribute: str, what: str) -> str:
    return (
        f"error: {shown}: git rewrites this file on checkout ({attribute}, from a .gitattributes "
        f"file or git's config): the {what} on disk is not the one that was committed and "
        f"reviewed, so ldifctl does not read it. Remove the attribute (`git check-attr -a -- "
        f"{shown}` shows it), then delete the file and check it out again\n"
    )


def committed_raw(repo: DirectoryRepo, files: dict[str, bytes], message: str) -> None:
    """Commit these bytes as they are: `git add` would pass them through the attributes."""
    for path, data in files.items():
        blob = subprocess.run(["git", "hash-object", "-w", "--no-filters", "--stdin"],
                              cwd=repo.root, input=data, capture_output=True, check=True)
        blob_id = blob.stdout.decode().strip()
        repo.git("update-index", "--add", "--cacheinfo", f"100644,{blob_id},{path}")
    repo.git("commit", "-q", "-m", message)


def merged_clone(tmp_path: Path, attack: str) -> tuple[DirectoryRepo, str]:
    """A fresh clone of main after the pull request merged, and the attribute it set."""
    attributes, added, options, attribute = ATTACKS[attack]
    repo = example_repo(tmp_path)
    text = (repo.root / USER_FILE).read_text().replace(FORWARD, added)
    committed_raw(repo, {".gitattributes": attributes.encode(), USER_FILE: text.encode()},
                  "the pull request")
    clone = repo.clone(tmp_path / "clone", *options)
    assert b"thief@evil.example\n" in (clone.root / USER_FILE).read_bytes()  # on disk
    assert clone.git("status", "--porcelain") == ""  # and git calls it unchanged
    return clone, attribute


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_the_working_tree_is_read_as_git_holds_it(tmp_path: Path, attack: str) -> None:
    clone, attribute = merged_clone(tmp_path, attack)
    planned = run(clone, "plan", "--base", "HEAD~1", "--head", "HEAD")
    assert (planned.code, planned.out) == (0, REVIEWED[attack])
    assert run(clone, "validate").code == 0
    exported, committed = run(clone, "export"), run(clone, "export", "--rev", "HEAD")
    assert (exported.code, exported.out) == (0, committed.out)
    route, at_head = (run(clone, "resolve", "user@old-domain.com", *rev)
                      for rev in [(), ("--rev", "HEAD")])
    assert route.out == at_head.out.replace("(HEAD:directory/", "(directory/")
    assert "-> user@new-domain.com\n" in route.out
    for args in FROM_DISK:
        done = run(clone, *args)
        assert (done.code, done.out, done.err) == (
            1, "", refusal(USER_FILE, attribute, "entry file")
        ), args


def test_apply_after_the_merge_sends_what_the_plan_showed(
    tmp_path: Path, clean_slapd: servers.LdapServer
) -> None:
    clone, _ = merged_clone(tmp_path, "working-tree-encoding")
    env = {"LDIFCTL_URI": clean_slapd.uri, "LDIFCTL_BIND_DN": clean_slapd.root_dn,
           "LDIFCTL_BIND_PASSWORD": clean_slapd.root_pw}
    with clean_slapd.bind() as conn:  # the example's suffix entry has other classes
        conn.delete_s(clean_slapd.suffix)
    clean_slapd.ldapadd(run(clone, "export", "--rev", "HEAD~1").out)
    planned = [run(clone, "plan", "--base", "server", *head, env=env)
               for head in [(), ("--head", "HEAD")]]
    assert planned[0].out == planned[1].out == REVIEWED["working-tree-encoding"]
    done = run(clone, "apply", "--yes", env=env)
    assert done.code == 0, done.err
    user = clean_slapd.search_all()[USER_DN]
    assert user["mailForwardingAddress"] == [b"user@new-domain.com"]
    assert user["title"] == [b'Mail" mailForwardingAddress: thief@evil.example #']


SETTINGS = {
    "ldifctl.yaml": ("ldifctl.yaml ident\n", "ldifctl.yaml", "ident: set", "settings file"),
    "a policy file": ("policies/*.yaml filter=lfs\n", "policies/mail.yaml", "filter: lfs",
                      "policy file"),
    "the CA file": ("*.pem working-tree-encoding=UTF-16\n", "certs/ca.pem",
                    "working-tree-encoding: UTF-16", "CA file"),
}


@pytest.mark.parametrize("kind", sorted(SETTINGS))
def test_a_settings_file_git_rewrites_is_refused_by_every_command_that_reads_it(
    tmp_path: Path, kind: str
) -> None:
    attributes, shown, attribute, what = SETTINGS[kind]
    repo = example_repo(tmp_path)
    (repo.root / "certs").mkdir()
    (repo.root / "certs/ca.pem").write_text("-----BEGIN CERTIFICATE-----\n")
    config = repo.root / "ldifctl.yaml"
    config.write_text(config.read_text().replace(
        "  start_tls: false\n", "  start_tls: false\n  ca_file: certs/ca.pem\n"))
    (repo.root / ".gitattributes").write_text(attributes)
    expected = refusal(shown, attribute, what)
    if kind == "the CA file":  # a setting's error names its line
        expected = expected.replace(
            "error: certs/ca.pem:", "error: ldifctl.yaml:9: server.ca_file: certs/ca.pem:")
    for args in [("validate",), ("plan",)]:
        done = run(repo, *args)
        assert (done.code, done.out, done.err) == (1, "", expected), args
    # An export of a commit reads the settings from disk (the CA file is checked with
    # them), not the policies.
    exported = run(repo, "export", "--rev", "HEAD")
    read = kind != "a policy file"
    assert (exported.code, exported.err) == ((1, expected) if read else (0, ""))


def test_line_endings_and_utf8_are_no_rewrite(tmp_path: Path) -> None:
    """CRLF is the same line break to YAML, and UTF-8 is git's own encoding: a repo that
    sets them works as one that does not."""
    repo = example_repo(tmp_path)
    (repo.root / ".gitattributes").write_text(
        "* text eol=crlf\n*.yaml working-tree-encoding=UTF-8 -ident\n"
        "ldifctl.yaml working-tree-encoding=utf8\npolicies/* working-tree-encoding=\n"
    )
    repo.commit("CRLF on checkout")
    clone = repo.clone(tmp_path / "clone")
    assert b"\r\n" in (clone.root / USER_FILE).read_bytes()
    assert run(clone, "validate").code == 0
    exported, committed = run(clone, "export"), run(clone, "export", "--rev", "HEAD")
    assert exported.code == 0
    assert exported.out == committed.out
    assert run(clone, "plan").err.endswith("HEAD -> working tree: no changes\n")


def test_outside_git_nothing_is_asked(tmp_path: Path) -> None:
    """A directory repo that is no git repository has no checkout to doubt."""
    repo = example_repo(tmp_path)
    shutil.rmtree(repo.root / ".git")
    (repo.root / ".gitattributes").write_text("* ident\n")
    env = {"GIT_CEILING_DIRECTORIES": str(tmp_path)}
    done = run(repo, "validate", env={**os.environ, **env})
    assert (done.code, done.err.splitlines()[-1]) == (0, "17 entries in directory: valid")


def test_a_dump_or_a_folder_state_in_the_repo_that_git_rewrites_is_refused(
    tmp_path: Path,
) -> None:
    """`diff dumps/old.ldif dumps/new.ldif` and `diff snapshots/old worktree` read files a
    checkout wrote, as the entry files are: the same refusal."""
    repo = example_repo(tmp_path)
    (repo.root / "dumps").mkdir()
    exported = run(repo, "export").out
    for name in ("old.ldif", "new.ldif"):
        (repo.root / "dumps" / name).write_text(exported)
    shutil.copytree(repo.root / "directory", repo.root / "snapshots/old")
    assert run(repo, "diff", "dumps/old.ldif", "dumps/new.ldif").code == 0
    assert run(repo, "diff", "snapshots/old", "worktree").code == 0
    (repo.root / ".gitattributes").write_text(
        "dumps/new.ldif ident\nsnapshots/** working-tree-encoding=UTF-16LE\n"
    )
    dump = run(repo, "diff", "dumps/old.ldif", "dumps/new.ldif")
    assert (dump.code, dump.out, dump.err) == (
        1, "", refusal("dumps/new.ldif", "ident: set", "LDIF file")
    )
    folder = run(repo, "diff", "snapshots/old", "worktree")
    first = "snapshots/old/dc=net/dc=example.yaml"
    assert (folder.code, folder.out) == (1, "")
    assert folder.err == refusal(first, "working-tree-encoding: UTF-16LE", "entry file").replace(
        f"{first}:", f"{first} (and 16 more files of the repository):", 1
    )


@pytest.mark.parametrize("git_dir", [".git", "absolute"])
def test_a_git_dir_in_the_environment_is_honoured(tmp_path: Path, git_dir: str) -> None:
    """`GIT_DIR=.git ldifctl plan …` at the repo's top: the check runs in `directory/`, where
    a relative GIT_DIR named nothing (the check skipped as outside git) and GIT_DIR alone
    made that folder the work tree's top (the root's `.gitattributes` unread)."""
    clone, attribute = merged_clone(tmp_path, "working-tree-encoding")
    value = str(clone.root / ".git") if git_dir == "absolute" else git_dir
    done = run(clone, "plan", "--base", "HEAD~1", env={**os.environ, "GIT_DIR": value})
    assert (done.code, done.err) == (1, refusal(USER_FILE, attribute, "entry file"))


def test_a_git_that_cannot_answer_stops_the_command(tmp_path: Path) -> None:
    """Not knowing whether git rewrote a file is no reason to read it: the error is git's."""
    repo = example_repo(tmp_path)
    with (repo.root / ".git/config").open("a") as config:
        config.write("[core\n")
    line = len((repo.root / ".git/config").read_text().splitlines())
    done = run(repo, "validate")
    assert (done.code, done.out, done.err) == (
        1, "", f"error: {repo.root}: git check-attr failed (fatal: bad config line {line} in "
        "file .git/config): ldifctl asks it which files git rewrites on checkout; fix what "
        "git says\n"
    )
