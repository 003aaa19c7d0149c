"""The work tree's scan started before the imports (repo/scan_ahead.py), through the real
program (`python -m ldifctl`) in real git repos: a run takes over the scan the last run of
its command line started, a scan that is not the command's own is stopped and never read,
and a forged record can do no more than start a read-only `git diff` in the run's own
work tree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from repo_kit import USER, USER_YAML, DirectoryRepo, committed_repo

from ldifctl.repo import scan_ahead

BROKEN = "dn: cn=broken,ou=people,dc=example,dc=net\nobjectClass: [inetOrgPerson\n"


def traced(repo: DirectoryRepo, *args: str, cwd: Path | None = None) -> tuple[str, list[list[str]]]:
    """The run's standard output, and the argument lists of the git commands it started,
    in the order they started (git's own trace)."""
    trace = repo.root.parent / "trace.json"
    trace.unlink(missing_ok=True)
    env = {**os.environ, "GIT_TRACE2_EVENT": str(trace)}
    done = subprocess.run(
        [sys.executable, "-m", "ldifctl", *args], cwd=cwd or repo.root, env=env,
        capture_output=True, text=True, check=False,
    )
    return done.stdout + done.stderr, started_in(trace)


def started_in(trace: Path) -> list[list[str]]:
    lines = trace.read_text().splitlines() if trace.exists() else []  # no git run at all
    events = [json.loads(line) for line in lines]
    return [e["argv"][1:] for e in events if e["event"] == "start"]


def diffs(started: list[list[str]]) -> list[list[str]]:
    return [argv for argv in started if argv[1:2] == ["diff"]]


def record(repo: DirectoryRepo) -> Path:
    return repo.root / ".git" / "ldifctl" / scan_ahead.RECORD


def test_a_second_run_takes_over_the_scan_it_started_before_the_imports(tmp_path: Path) -> None:
    repo = committed_repo(tmp_path / "repo")
    repo.write(USER, USER_YAML)
    first, started = traced(repo, "validate")
    assert "3 entries in directory" in first
    assert len(diffs(started)) == 1
    lines = record(repo).read_bytes().split(b"\n")
    assert lines == [f"{repo.root}\0validate\0HEAD\0directory".encode(), b""]

    again, started = traced(repo, "validate")
    assert again == first
    head = repo.git("rev-parse", "HEAD").strip()
    assert diffs(started) == [[*scan_ahead.GIT[1:], *scan_ahead.DIFF, head, "--", "directory"]]
    # Started ahead of the workspace's own first git command, and taken over by it.
    opened = started.index(["rev-parse", "--show-toplevel", "--absolute-git-dir"])
    assert started.index(diffs(started)[0]) < opened


def test_a_new_commit_does_not_make_the_record_stale(tmp_path: Path) -> None:
    repo = committed_repo(tmp_path / "repo")
    traced(repo, "plan")
    repo.write(USER, USER_YAML)
    head = repo.commit("a user")
    repo.write(USER, USER_YAML.replace("sn: Example", "sn: Changed"))
    out, started = traced(repo, "plan")
    assert "delete: sn\nsn: Example\n-\nadd: sn\nsn: Changed\n" in out
    assert diffs(started) == [[*scan_ahead.GIT[1:], *scan_ahead.DIFF, head, "--", "directory"]]


def test_a_scan_of_another_folder_is_stopped_and_the_command_scans_its_own(tmp_path: Path) -> None:
    repo = committed_repo(tmp_path / "repo")
    traced(repo, "validate")
    # The directory moves: the record names the old folder.
    repo.git("mv", "directory", "entries")
    config = repo.root / "ldifctl.yaml"
    config.write_text(config.read_text().replace("directory: directory", "directory: entries"))
    repo.commit("moved")
    broken = repo.root / "entries" / "dc=net" / "dc=example" / "ou=people" / "cn=broken.yaml"
    broken.parent.mkdir()
    broken.write_text(BROKEN)
    out, started = traced(repo, "validate")
    assert "cn=broken.yaml" in out  # the finding is in the folder the command scanned
    assert [argv[-1] for argv in diffs(started)] == ["directory", "entries"]
    assert record(repo).read_bytes().split(b"\0")[-1] == b"entries\n"


def test_a_forged_record_starts_nothing_outside_the_runs_own_work_tree(tmp_path: Path) -> None:
    repo = committed_repo(tmp_path / "repo")
    head = repo.git("rev-parse", "HEAD").strip()
    own = [*scan_ahead.GIT[1:], *scan_ahead.DIFF, head, "--", "directory"]
    elsewhere = DirectoryRepo(tmp_path / "elsewhere")
    elsewhere.commit("empty")
    record(repo).parent.mkdir(parents=True, exist_ok=True)
    for forged, ahead in [
        (f"{repo.root}\0validate\0HEAD; touch {tmp_path}/pwned\0directory", []),  # no commit
        (f"{elsewhere.root}\0validate\0HEAD\0directory", []),  # another folder's line
        # Any path: read literally, and only ever in this work tree.
        (f"{repo.root}\0validate\0{'0' * 40}\0--output={tmp_path}/written",
         [[*scan_ahead.GIT[1:], *scan_ahead.DIFF, "0" * 40, "--", f"--output={tmp_path}/written"]]),
    ]:
        record(repo).write_bytes(forged.encode() + b"\n\xff\xfe\0\0\n" + b"x" * 70_000)
        out, started = traced(repo, "validate")
        assert "2 entries in directory" in out
        assert diffs(started) == [*ahead, own]
    assert not (tmp_path / "pwned").exists()
    assert not (tmp_path / "written").exists()
    line = f"{repo.root}\0validate\0HEAD\0directory\n"
    assert record(repo).read_bytes().startswith(line.encode())


def test_other_commands_and_folders_outside_git_start_no_scan(tmp_path: Path) -> None:
    repo = committed_repo(tmp_path / "repo")
    traced(repo, "validate")
    _, started = traced(repo, "fmt", "--check")
    assert diffs(started) == []
    outside = tmp_path / "outside"
    outside.mkdir()
    trace = tmp_path / "trace.json"
    trace.unlink()  # fmt's: only the run outside git is looked at
    env = {**os.environ, "GIT_TRACE2_EVENT": str(trace), "GIT_CEILING_DIRECTORIES": str(tmp_path)}
    subprocess.run(
        [sys.executable, "-m", "ldifctl", "validate"], cwd=outside, env=env, capture_output=True,
        check=False,
    )
    assert started_in(trace)[0][:1] == ["rev-parse"]
    assert diffs(started_in(trace)) == []
