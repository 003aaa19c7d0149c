"""The plan jobs of the CI templates find the comment they posted on any page, update
only their own, and never post a second one: their posting scripts run as written (bash,
the real curl and jq) against a stand-in of each service's API on the loopback, paged as
the service pages (hosting_kit.py), with threads of up to 6,000 notes.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hosting_kit import BOT, ME, TOKEN, Note, Thread, serving

TEMPLATES = Path(__file__).resolve().parents[2] / "examples" / "ci"
MARKER = "<!-- ldifctl:plan -->"
PLAN = f"{MARKER}\n### ldifctl plan: `refs/remotes/origin/main` → `HEAD`\n\n**Ready**: 1 add.\n"
UPDATE = {"gitlab": "PUT", "github": "PATCH"}
BOUND = list(range(1, 51))  # the pages a job reads at most
SERVICES = pytest.mark.parametrize("service", ["gitlab", "github"])


@dataclass(frozen=True)
class Job:
    status: int
    log: str
    summary: str  # GitHub: what the step wrote to the run's summary


def posting(service: str) -> tuple[str, dict[str, str], list[str]]:
    """The posting script, the environment its YAML gives it, and bash's flags as the
    service's runner starts it: GitLab Runner's bash runs `set -eo pipefail`; Actions runs
    `bash -e` unless a step names `shell: bash`."""
    if service == "gitlab":
        job = yaml.safe_load((TEMPLATES / "gitlab-ci.yml").read_text())["plan"]
        [script] = [item for item in job["script"] if "curl " in item]
        return script, {}, ["-eo", "pipefail"]
    workflow = yaml.safe_load((TEMPLATES / "github-actions.yml").read_text())
    [step] = [s for s in workflow["jobs"]["plan"]["steps"] if "curl " in s.get("run", "")]
    env = {k: str(v) for k, v in step["env"].items() if "${{" not in str(v)}
    return step["run"], env, ["-eo", "pipefail"] if step.get("shell") == "bash" else ["-e"]


def run(service: str, thread: Thread, work: Path) -> Job:
    """One push's posting step, in a work tree that holds the plan's plan.md."""
    script, env, flags = posting(service)
    work.mkdir()
    (work / "plan.md").write_text(PLAN)
    summary = work / "summary.md"
    summary.write_text("")
    with serving(thread) as url:
        service_env = {
            "gitlab": {"CI_API_V4_URL": f"{url}/api/v4", "CI_PROJECT_ID": "1",
                       "CI_MERGE_REQUEST_IID": "7", "LDIFCTL_GITLAB_TOKEN": TOKEN},
            "github": {"GITHUB_API_URL": url, "GITHUB_REPOSITORY": "o/r", "PR": "7",
                       "GH_TOKEN": TOKEN, "GITHUB_STEP_SUMMARY": str(summary)},
        }[service]
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", *flags, "-c", script],
            cwd=work,
            env={**os.environ, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1",
                 **env, **service_env},
            capture_output=True, text=True, timeout=300, check=False,
        )
    return Job(done.returncode, done.stdout + done.stderr, summary.read_text())


def discussion(
    service: str, size: int, ours: tuple[int, ...] = (), mallory: tuple[int, ...] = (),
    failing_page: int = 0,
) -> Thread:
    """`size` notes, oldest first: ldifctl's plan notes at `ours`, notes that anyone else
    began with the marker at `mallory`, and a remark of the job's own token at 20."""
    me, someone = (str(ME), "7") if service == "gitlab" else (BOT, "mallory")

    def note(at: int) -> Note:
        if at in ours:
            return Note(at, me, f"{MARKER}\n### an earlier plan: **Ready**")
        if at in mallory:
            return Note(at, someone, f"{MARKER}\n### all good")
        return Note(at, me if at == 20 else someone, f"remark {at}")

    notes = [note(at) for at in range(1, size + 1)]
    return Thread(service, notes, failing_page=failing_page)


@SERVICES
@pytest.mark.parametrize(("where", "pages"), [(150, [1, 2]), (250, [1, 2, 3])])
def test_its_comment_on_a_later_page_is_the_one_updated(
    tmp_path: Path, service: str, where: int, pages: list[int]
) -> None:
    thread = discussion(service, pages[-1] * 100 - 20, ours=(where,), mallory=(5,))
    job = run(service, thread, tmp_path / "push")
    assert job.status == 0, job.log
    assert thread.writes == [(UPDATE[service], where, PLAN)]  # not 5, not 20, no new one
    assert thread.reads == pages


@SERVICES
def test_without_a_comment_of_its_own_it_posts_one_and_then_updates_it(
    tmp_path: Path, service: str
) -> None:
    thread = discussion(service, 230, mallory=(5,))
    first = run(service, thread, tmp_path / "first")
    assert first.status == 0, first.log
    assert thread.writes == [("POST", 231, PLAN)]
    assert thread.reads == [1, 2, 3]
    second = run(service, thread, tmp_path / "second")
    assert second.status == 0, second.log
    assert thread.writes[1:] == [(UPDATE[service], 231, PLAN)]


@SERVICES
def test_every_comment_of_its_own_is_updated(tmp_path: Path, service: str) -> None:
    """Two, as the template that read one page could leave on a busy merge request: the
    earlier verdict does not stay up beside the new one."""
    thread = discussion(service, 180, ours=(10, 160))
    job = run(service, thread, tmp_path / "push")
    assert job.status == 0, job.log
    assert thread.writes == [(UPDATE[service], 10, PLAN), (UPDATE[service], 160, PLAN)]


@SERVICES
def test_a_flood_of_comments_after_its_own_cannot_hide_it(tmp_path: Path, service: str) -> None:
    thread = discussion(service, 6000, ours=(3,))
    job = run(service, thread, tmp_path / "push")
    assert job.status == 0, job.log
    assert thread.writes == [(UPDATE[service], 3, PLAN)]
    assert thread.reads == BOUND


@SERVICES
@pytest.mark.parametrize("size", [4901, 5001])
def test_past_the_bound_it_posts_nothing_and_fails(
    tmp_path: Path, service: str, size: int
) -> None:
    """5,001: the 51st page is never read. 4,901: every note is read, on 50 pages, but a
    new comment could be the 5,001st, where the next push would not look."""
    thread = discussion(service, size, mallory=(5,))
    job = run(service, thread, tmp_path / "push")
    assert job.status == 1, job.log
    assert thread.writes == []
    assert thread.reads == BOUND
    assert "in the first 50 pages of" in job.log
    assert job.summary == (PLAN if service == "github" else "")


@SERVICES
def test_a_page_that_cannot_be_read_posts_nothing(tmp_path: Path, service: str) -> None:
    """Its comment is on page 3: a failed page 2 is no reason to think there is none."""
    thread = discussion(service, 250, ours=(240,), failing_page=2)
    job = run(service, thread, tmp_path / "push")
    assert job.status != 0, job.log
    assert (thread.writes, thread.reads) == ([], [1, 2])
