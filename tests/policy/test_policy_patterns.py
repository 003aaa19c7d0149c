"""Regular expressions of policy files are untrusted: they run in linear time (RE2), and
a pattern RE2 refuses is an error at its file and line that names the rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from limits_kit import run_limited
from repo_kit import NO_MAIL_WARNING, DirectoryRepo, base_entries, run

PEOPLE = "ou=people,dc=example,dc=net"
# Python's re backtracks on `(a+)+$` for 2^n steps on n a's that do not end the value.
SLOW_VALUE = "a" * 40 + "b"


def pattern_rule(pattern: str, where: str = "custom") -> str:
    rule = "    kind: pattern\n    attribute: description\n" if where == "custom" else ""
    return f"{where}:\n  slow:\n{rule}    pattern: '{pattern}'\n"


@pytest.fixture
def repo(tmp_path: Path) -> DirectoryRepo:
    repo = DirectoryRepo(tmp_path / "repo")
    repo.populate(base_entries())
    people = repo.path(PEOPLE)
    people.write_text(people.read_text() + f"description: {SLOW_VALUE}\n")
    return repo


def test_a_backtracking_pattern_runs_in_linear_time(repo: DirectoryRepo) -> None:
    repo.write_raw("policies/slow.yaml", pattern_rule("(a+)+$").encode())
    repo.commit()
    # Under Python's re this run would be killed by the CPU limit (SIGXCPU), not exit 1.
    done = run_limited(repo.root, "validate")
    assert (done.returncode, done.stdout) == (1, ""), done.stderr
    assert done.stderr == (
        f"directory/dc=net/dc=example/ou=people.yaml:4: error [slow] description "
        f"'{SLOW_VALUE}' does not match the slow rule: make it match (a+)+$\n"
        + NO_MAIL_WARNING
        + "2 entries in directory: 1 error(s)\n"
    )


def test_a_pattern_still_matches_as_before(repo: DirectoryRepo) -> None:
    repo.write_raw("policies/slow.yaml", pattern_rule("a+b").encode())
    assert run(repo, "validate") == (0, "", NO_MAIL_WARNING + "2 entries in directory: valid\n")


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (r"(a)\1", r"invalid escape sequence: \1"),
        ("(?=a)a", "invalid perl operator: (?="),
        ("(?<!b)a", "invalid perl operator: (?<!"),
        ("[0-9", "missing ]: [0-9"),
    ],
)
def test_a_pattern_re2_refuses_is_an_error_at_its_line(
    repo: DirectoryRepo, pattern: str, reason: str
) -> None:
    repo.write_raw("policies/slow.yaml", pattern_rule(pattern).encode())
    code, out, err = run(repo, "validate")
    shown = repr(pattern)
    assert (code, out) == (1, "")
    # One line: RE2 logs nothing of its own to stderr.
    assert err == (
        f"error: policies/slow.yaml:5: custom.slow.pattern {shown} is not a regular expression "
        f"RE2 accepts ({reason}): patterns run in linear time with RE2's syntax, which has no "
        "backreferences or lookarounds (see README, custom rules); rewrite it\n"
    )


def test_a_refused_pattern_in_a_later_file_names_that_file_and_rule(
    repo: DirectoryRepo,
) -> None:
    repo.write_raw("policies/0.yaml", pattern_rule("a+b").encode())
    repo.write_raw("policies/1.yaml", pattern_rule(r"(a)\1", where="rules").encode())
    code, _, err = run(repo, "validate")
    assert code == 1
    assert err.startswith(r"error: policies/1.yaml:3: rules.slow.pattern '(a)\\1' is not ")
