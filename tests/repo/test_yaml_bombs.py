"""YAML aliases and deep nesting in `ldifctl.yaml` and `policies/*.yaml`: a clear error at
the file and line, never gigabytes of expansion or a RecursionError.

Each command runs in a child process held to a CPU and memory budget (limits_kit): before
the fix, the bombs below expanded to hundreds of millions of values and were stopped by
those limits instead of exiting 1.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from limits_kit import run_limited
from repo_kit import CONFIG, DirectoryRepo, committed_repo

ALIAS_ERROR = (
    "an alias (*name) repeats a value written elsewhere: aliases and anchors are not "
    "supported here; write the value out"
)


def laughs(levels: int, indent: str = "") -> str:
    """A "billion laughs": each level lists the one before nine times (9**levels values)."""
    lines = [f"{indent}l0: &l0 [ha, ha, ha, ha, ha, ha, ha, ha, ha]"]
    for i in range(1, levels):
        lines.append(f"{indent}l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def nested(levels: int, indent: str = "") -> str:
    """A mapping `levels` deep, one key per line, each indented one more step."""
    return "".join(f"{indent}{'  ' * i}k{i}:\n" for i in range(levels)) + (
        f"{indent}{'  ' * levels}x: y\n"
    )


@pytest.fixture
def repo(tmp_path: Path) -> DirectoryRepo:
    return committed_repo(tmp_path / "repo")


def error_of(repo: DirectoryRepo, *args: str) -> str:
    done = run_limited(repo.root, *args)
    assert (done.returncode, done.stdout) == (1, ""), done.stderr
    return done.stderr


def test_aliases_in_a_policy_file_are_an_error_at_their_line(repo: DirectoryRepo) -> None:
    bomb = "rules:\n  no-self-forward: error\n" + laughs(9)
    repo.write_raw("policies/bomb.yaml", bomb.encode())
    assert error_of(repo, "validate") == f"error: policies/bomb.yaml:4: {ALIAS_ERROR}\n"
    repo.commit("the bomb merged: now the base of every plan")
    assert error_of(repo, "plan") == f"error: HEAD:policies/bomb.yaml:4: {ALIAS_ERROR}\n"


def test_aliases_under_apply_in_ldifctl_yaml_fail_every_command(repo: DirectoryRepo) -> None:
    (repo.root / "ldifctl.yaml").write_text(CONFIG + "apply:\n" + laughs(7, "  "))
    expected = f"error: ldifctl.yaml:6: {ALIAS_ERROR}\n"
    for command in ("validate", "plan", "drift", "export"):
        assert error_of(repo, command) == expected, command


def test_plan_never_reads_the_head_revisions_policies_as_yaml(repo: DirectoryRepo) -> None:
    """The base's policies judge a plan; of the change's own only their digest is taken."""
    repo.write_raw("policies/bomb.yaml", laughs(9).encode())
    repo.commit("a pull request with a bomb in policies/")
    done = run_limited(repo.root, "plan", "--base", "HEAD~1", "--head", "HEAD")
    assert done.returncode == 0, done.stderr
    assert "warning [policy-source] this change edits policies/" in done.stderr
    done = run_limited(repo.root, "plan", "--base", "HEAD~1")
    assert done.returncode == 0, done.stderr
    # What judges the working tree's own policies still refuses them.
    assert error_of(repo, "validate") == f"error: policies/bomb.yaml:2: {ALIAS_ERROR}\n"


def test_a_policy_file_nested_500_deep_is_an_error_at_its_line(repo: DirectoryRepo) -> None:
    # Lists in lists: converting them took two Python frames a level (a RecursionError).
    deep = "rules:\n  no-self-forward: error\ncustom:\n  x: " + "[" * 500 + "]" * 500 + "\n"
    repo.write_raw("policies/deep.yaml", deep.encode())
    assert error_of(repo, "validate") == (
        "error: policies/deep.yaml:4: nested more than 16 levels deep: no setting or "
        "policy needs that many; flatten the document\n"
    )


def test_ldifctl_yaml_nested_500_deep_is_an_error_at_its_line(repo: DirectoryRepo) -> None:
    (repo.root / "ldifctl.yaml").write_text(CONFIG + "mail:\n" + nested(500, "  "))
    assert error_of(repo, "plan") == (
        "error: ldifctl.yaml:21: nested more than 16 levels deep: no setting or policy "
        "needs that many; flatten the document\n"
    )


def test_a_scalar_alias_is_refused_too(repo: DirectoryRepo) -> None:
    """One rule for every alias: no reader has to tell a harmless one from a bomb."""
    (repo.root / "ldifctl.yaml").write_text(
        "base_dn: &base dc=example,dc=net\napply:\n  protected: [*base]\n"
    )
    assert error_of(repo, "validate") == f"error: ldifctl.yaml:3: {ALIAS_ERROR}\n"
