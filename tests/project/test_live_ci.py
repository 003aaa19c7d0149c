"""The CI templates in examples/ci/ run as written: the test takes the shell scripts of
their jobs out of the YAML and runs them, job after job, against a real slapd.

Only what needs the hosting service is left out: installing, posting comments, pushing.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import servers
import yaml
from live_kit import PEOPLE_DN, in_sync
from repo_kit import PEOPLE, DirectoryRepo

TEMPLATES = Path(__file__).resolve().parents[2] / "examples" / "ci"
HOSTING_ONLY = re.compile(r"pip install|apt-get|\bgh |curl |git (fetch|push|checkout)")
USER = f"cn=user,{PEOPLE_DN}"
USER_FILE = f"""\
# Domain migration: user@old-domain.com now lives at user@new-domain.com.
dn: {USER}
objectClass:
  - inetOrgPerson
  - mailRecipient
cn: user
mail: user@new-domain.com
mailAlternateAddress: user@old-domain.com
sn: User
"""


def template(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((TEMPLATES / name).read_text())
    return loaded


def run_script(script: str, repo: DirectoryRepo, env: Mapping[str, str]) -> None:
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=repo.root,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"{script}\n{done.stdout}{done.stderr}"


@pytest.fixture
def repo(tmp_path: Path, clean_slapd: servers.LdapServer) -> Iterator[DirectoryRepo]:
    """main holds one forward-less user, applied to the server; a branch adds the forward."""
    repo = DirectoryRepo(
        tmp_path / "repo", f"base_dn: {PEOPLE_DN}\nserver:\n  bind_dn: {clean_slapd.root_dn}\n"
    )
    repo.populate({PEOPLE_DN: PEOPLE, USER: USER_FILE})
    repo.commit("main")
    repo.git("update-ref", "refs/remotes/origin/main", "HEAD")
    env = {"LDIFCTL_URI": clean_slapd.uri, "LDIFCTL_BIND_PASSWORD": clean_slapd.root_pw}
    run_script("ldifctl apply --yes", repo, {**env, "PATH": _path()})
    repo.git("checkout", "-q", "-b", "forward")
    repo.write(USER, USER_FILE + "mailForwardingAddress: user@new-domain.com\n")
    repo.commit("forward user@old-domain.com")
    yield repo


def _path() -> str:
    return f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"


def hand_edit(server: servers.LdapServer) -> None:
    done = server.ldapmodify(
        f"dn: {USER}\nchangetype: modify\nadd: mailAlternateAddress\n"
        "mailAlternateAddress: u@old-domain.com\n-\n"
    )
    assert done.returncode == 0, done.stderr


# --- GitHub Actions.


def github_job(
    workflow: dict[str, Any], job: str, repo: DirectoryRepo, values: dict[str, Any]
) -> None:
    """Run the job's `run:` steps with the environment the workflow gives them."""
    outer = {**workflow.get("env", {}), **workflow["jobs"][job].get("env", {})}
    Path(values["runner"]["GITHUB_OUTPUT"]).write_text("")  # each job has its own
    for step in workflow["jobs"][job]["steps"]:
        script = step.get("run")
        if script is None or HOSTING_ONLY.search(script):
            continue
        env = {k: _expand(str(v), values) for k, v in {**outer, **step.get("env", {})}.items()}
        run_script(script, repo, {**env, **values["runner"]})
        if "id" in step:  # its outputs, for the steps after it
            written = Path(values["runner"]["GITHUB_OUTPUT"]).read_text().splitlines()
            outputs = (line.partition("=") for line in written)
            values.update({f"steps.{step['id']}.outputs.{k}": v for k, _, v in outputs})


def _expand(text: str, values: Mapping[str, Any]) -> str:
    return re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", lambda m: str(values[m[1]]), text)


def test_the_github_workflow(
    repo: DirectoryRepo, clean_slapd: servers.LdapServer, tmp_path: Path
) -> None:
    workflow = template("github-actions.yml")
    outputs, summary = tmp_path / "outputs", tmp_path / "summary"
    values: dict[str, Any] = {
        "vars.LDIFCTL_URI": clean_slapd.uri,
        "github.base_ref": "main",
        "secrets.LDIFCTL_BIND_PASSWORD": clean_slapd.root_pw,
        "github.run_id": "42",
        "runner": {
            "PATH": _path(),
            "GITHUB_OUTPUT": str(outputs),
            "GITHUB_STEP_SUMMARY": str(summary),
        },
    }
    github_job(workflow, "plan", repo, values)
    plan_md = (repo.root / "plan.md").read_text()
    assert plan_md.startswith("<!-- ldifctl:plan -->\n")
    assert "add: mailForwardingAddress\nmailForwardingAddress: user@new-domain.com\n" in plan_md

    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--ff-only", "forward")
    github_job(workflow, "plan-live", repo, values)
    assert summary.read_text().startswith("<!-- ldifctl:plan -->\n### ldifctl plan: `server`")
    github_job(workflow, "apply", repo, values)
    assert in_sync(repo, clean_slapd)
    assert (repo.root / "apply-report").is_dir()

    hand_edit(clean_slapd)
    github_job(workflow, "drift", repo, values)
    assert outputs.read_text() == "branch=ldifctl/drift-42\n"
    assert_drift_branch(repo, "ldifctl/drift-42")


def assert_drift_branch(repo: DirectoryRepo, branch: str) -> None:
    """The drift job left the work tree alone and committed the hand edit on `branch`."""
    assert (repo.root / "drift.md").read_text().startswith("<!-- ldifctl:drift -->\n")
    assert repo.git("status", "--porcelain", "--untracked-files=no") == ""
    assert "+  - u@old-domain.com" in repo.git("diff", "HEAD", branch)


# --- GitLab CI.


def gitlab_job(
    pipeline: dict[str, Any], job: str, repo: DirectoryRepo, env: Mapping[str, str]
) -> None:
    """Run the job's script lines as GitLab does: one shell, stop at the first failure."""
    lines = [line for line in pipeline[job]["script"] if not HOSTING_ONLY.search(line)]
    run_script("\n".join(lines), repo, env)


def test_the_gitlab_pipeline(repo: DirectoryRepo, clean_slapd: servers.LdapServer) -> None:
    pipeline = template("gitlab-ci.yml")
    env = {
        "PATH": _path(),
        "LDIFCTL_URI": clean_slapd.uri,
        "LDIFCTL_BIND_PASSWORD": clean_slapd.root_pw,
        "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
        "CI_PIPELINE_ID": "7",
    }
    gitlab_job(pipeline, "plan", repo, env)
    assert "mailForwardingAddress: user@new-domain.com" in (repo.root / "plan.md").read_text()

    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--ff-only", "forward")
    gitlab_job(pipeline, "plan-live", repo, env)
    gitlab_job(pipeline, "apply", repo, env)
    assert in_sync(repo, clean_slapd)

    hand_edit(clean_slapd)
    gitlab_job(pipeline, "drift", repo, env)
    assert_drift_branch(repo, "ldifctl/drift-7")
