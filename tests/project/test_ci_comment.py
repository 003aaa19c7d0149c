"""The plan jobs of the CI templates comment on every push and keep the job's verdict.

Each job's shell runs as written in the YAML, in a clone of a local bare repository (its
`git fetch` is real). The one thing that needs the hosting service, posting the comment,
is replaced by what it would post: the body file its script names, copied aside. How the
posting finds and updates its comment is test_ci_notes.py's.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from impact_kit import dn, readme_change
from mail_kit import mail_repo, person
from repo_kit import DirectoryRepo

TEMPLATES = Path(__file__).resolve().parents[2] / "examples" / "ci"
INSTALL = re.compile(r"pip install|apt-get")
POSTS = re.compile(r"\bgh |curl ")
BODY = re.compile(r"(?:--rawfile body |body@)([\w.]+)")


@dataclass(frozen=True)
class Job:
    status: int
    comment: str | None  # what the job would post; None: no comment
    log: str


def _path() -> str:
    return f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"


def shell(script: str, repo: DirectoryRepo, env: Mapping[str, str]) -> tuple[int, str]:
    """As the runners run a script: bash, stop at the first failing command."""
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=repo.root,
        env={**os.environ, "PATH": _path(), **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


def posted(script: str, repo: DirectoryRepo) -> str:
    """The body the posting script sends: every file it names must be the same one."""
    files: set[str] = set(BODY.findall(script))
    assert len(files) == 1, script
    return (repo.root / files.pop()).read_text()


def published(root: Path) -> DirectoryRepo:
    """A clone of a bare repository whose main holds the base; the clone is on `change`."""
    bare = root / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    repo = mail_repo(root / "work", {"alice": person("alice", mail="alice@example.org")})
    repo.git("remote", "add", "origin", str(bare))
    repo.git("push", "-q", "origin", "main")
    repo.git("checkout", "-q", "-b", "change")
    return repo


# --- The three changes.


def clean(repo: DirectoryRepo) -> None:
    repo.write(dn("bob"), person("bob", description="no mail"))


def refused(repo: DirectoryRepo) -> None:
    repo.write(dn("bob"), person("bob", mail="bob@example.org", userPassword="secret"))


def routing(repo: DirectoryRepo) -> None:
    alias = person("alice", mail="alice@example.org", mailAlias="sales@example.org")
    repo.write(dn("alice"), alias)


CHANGES = {"clean": clean, "refused": refused, "routing": routing}


def change(root: Path, kind: str) -> DirectoryRepo:
    repo = published(root)
    CHANGES[kind](repo)
    repo.commit(kind)
    return repo


# --- The jobs, as each service runs them.


def github_plan(repo: DirectoryRepo, tmp_path: Path) -> Job:
    """The `plan` job's steps in order: after a failure only `always()` steps run; the
    job fails with the first failing step."""
    workflow = yaml.safe_load((TEMPLATES / "github-actions.yml").read_text())
    outputs = tmp_path / "github_output"
    outputs.write_text("")
    values = {"github.base_ref": "main", "github.token": "", "steps.plan.outputs.status": ""}
    status, comment, log = 0, None, ""
    for step in workflow["jobs"]["plan"]["steps"]:
        script = step.get("run")
        if script is None or INSTALL.search(script):
            continue
        if status and "always()" not in str(step.get("if", "")):
            continue
        env = {k: _expand(str(v), values) for k, v in step.get("env", {}).items()}
        if POSTS.search(script):
            assert (repo.root / "plan.md").is_file()  # hashFiles('plan.md') != ''
            comment = posted(script, repo)
            continue
        code, out = shell(script, repo, {**env, "GITHUB_OUTPUT": str(outputs)})
        values.update(_outputs(step, outputs))
        status, log = status or code, log + out
    return Job(status, comment, log)


def _expand(text: str, values: Mapping[str, str]) -> str:
    return re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", lambda m: values.get(m[1], ""), text)


def _outputs(step: Mapping[str, Any], outputs: Path) -> dict[str, str]:
    lines = (line.partition("=") for line in outputs.read_text().splitlines())
    return {f"steps.{step.get('id')}.outputs.{k}": v for k, _, v in lines}


def gitlab_plan(repo: DirectoryRepo) -> Job:
    """`script` in one shell, its note posted before its last line (`exit "$status"`)."""
    job = yaml.safe_load((TEMPLATES / "gitlab-ci.yml").read_text())["plan"]
    env = {"CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main"}
    [note] = [item for item in job["script"] if POSTS.search(item)]
    assert job["script"][-2:] == [note, 'exit "$status"']
    status, log = shell("\n".join(item for item in job["script"] if item != note), repo, env)
    return Job(status, posted(note, repo), log)


def run_job(service: str, repo: DirectoryRepo, tmp_path: Path) -> Job:
    return github_plan(repo, tmp_path) if service == "github" else gitlab_plan(repo)


SERVICES = pytest.mark.parametrize("service", ["github", "gitlab"])


@SERVICES
def test_a_clean_change_is_commented_ready(tmp_path: Path, service: str) -> None:
    job = run_job(service, change(tmp_path, "clean"), tmp_path)
    assert job.status == 0, job.log
    assert job.comment is not None
    header = "<!-- ldifctl:plan -->\n### ldifctl plan: `refs/remotes/origin/main` → `HEAD`"
    assert job.comment.startswith(header)
    assert "\n**Ready**: 1 add.\n" in job.comment
    assert "#### Mail routing" not in job.comment  # no mail address: no routing change
    assert "| `cn=bob,ou=people,dc=example,dc=net` | add |" in job.comment


@SERVICES
def test_a_refused_change_is_commented_and_fails_the_job(tmp_path: Path, service: str) -> None:
    job = run_job(service, change(tmp_path, "refused"), tmp_path)
    assert job.status == 1, job.log
    assert job.comment is not None
    assert "**Refused**: the findings below include errors" in job.comment
    assert "**forbidden-attributes**" in job.comment
    assert "Not at all, until the errors are fixed." in job.comment


@SERVICES
def test_a_change_with_routing_impact_shows_it(tmp_path: Path, service: str) -> None:
    job = run_job(service, change(tmp_path, "routing"), tmp_path)
    assert job.status == 0, job.log
    assert job.comment is not None
    assert (
        "| `sales@example.org` | **unknown** | `alice@example.org` (mailbox) |"
        in job.comment
    )
    assert "\n```mermaid\nflowchart LR\n" in job.comment


@SERVICES
def test_a_plan_that_cannot_run_is_commented_with_the_reason(
    tmp_path: Path, service: str
) -> None:
    repo = published(tmp_path)
    repo.write(dn("bob"), "dn: cn=bob,ou=people,dc=example,dc=net\ncn: [unclosed\n")
    repo.commit("broken")
    job = run_job(service, repo, tmp_path)
    assert job.status == 1, job.log
    assert job.comment is not None
    assert job.comment.startswith("<!-- ldifctl:plan -->\n### ldifctl plan: failed\n\n```text\n")
    assert "cn=bob.yaml" in job.comment


def test_the_readme_change_runs_through_both(tmp_path: Path) -> None:
    """The README's example: refused (it makes a loop), its routing shown all the same."""
    repo = readme_change(tmp_path / "readme")
    repo.commit("the README's change")
    bare = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    repo.git("remote", "add", "origin", str(bare))
    repo.git("push", "-q", "origin", "HEAD~1:refs/heads/main")
    for service in ("github", "gitlab"):
        job = run_job(service, repo, tmp_path)
        assert job.status == 1, job.log
        assert job.comment is not None
        row = "| `helpdesk@example.org` | `alice@example.org` (mailbox) | **loop** |"
        assert row in job.comment
