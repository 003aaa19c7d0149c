"""A plan refused by an error-level finding prints no LDIF (DESIGN §4): `plan | ldapmodify`
must never send a refused change. Its JSON and Markdown still show the whole plan."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import servers
from mail_kit import mail_repo, person
from repo_kit import PEOPLE, DirectoryRepo, run

LDIFCTL = Path(sys.executable).parent / "ldifctl"
LOOP = ("cn=a,ou=people,dc=example,dc=net", "cn=b,ou=people,dc=example,dc=net")


def forwarding_loop(repo: DirectoryRepo) -> None:
    """a@ forwards to b@ and b@ to a@: Postfix defers the mail; `no-forward-loops` refuses."""
    for dn, me, other in ((LOOP[0], "a", "b"), (LOOP[1], "b", "a")):
        repo.write(
            dn,
            person(me, mailAlternateAddress=f"{me}@example.org",
                   mailForwardingAddress=f"{other}@example.org"),
        )


def refused_line(stderr: str) -> str:
    errors = sum(" error [" in line for line in stderr.splitlines())
    assert errors, stderr
    return (
        f"refused: {errors} error(s) above, so no LDIF is printed; fix them first "
        "(--format json or markdown shows the refused plan)"
    )


def piped(repo: DirectoryRepo, server: servers.LdapServer) -> subprocess.CompletedProcess[str]:
    """`ldifctl plan | ldapmodify`, as a user types it into a shell."""
    pipeline = (
        f"'{LDIFCTL}' plan | ldapmodify -x -H '{server.uri}' -D '{server.root_dn}' "
        f"-y '{server.password_file}'"
    )
    return subprocess.run(
        ["bash", "-o", "pipefail", "-c", pipeline],
        cwd=repo.root, capture_output=True, text=True, check=False,
    )


def test_a_refused_plan_piped_into_ldapmodify_sends_nothing(
    tmp_path: Path, clean_slapd: servers.LdapServer
) -> None:
    repo = mail_repo(tmp_path, {})
    clean_slapd.ldapadd(PEOPLE)
    # The same pipeline sends a plan that is not refused: what follows is not a dud.
    repo.write("cn=c,ou=people,dc=example,dc=net", person("c", mail="c@example.org"))
    sent = piped(repo, clean_slapd)
    assert sent.returncode == 0, sent.stderr
    assert 'adding new entry "cn=c,ou=people,dc=example,dc=net"' in sent.stdout
    repo.commit("c")

    forwarding_loop(repo)
    refused = piped(repo, clean_slapd)
    assert refused.returncode == 1  # ldifctl's exit code, through pipefail
    assert refused.stdout == ""  # ldapmodify read nothing, so said nothing
    assert refused.stderr.splitlines()[-1] == refused_line(refused.stderr)
    held = clean_slapd.search_all("ou=people,dc=example,dc=net")
    assert sorted(held) == ["cn=c,ou=people,dc=example,dc=net", "ou=people,dc=example,dc=net"]


def test_refused_plan_and_diff_print_no_ldif(tmp_path: Path) -> None:
    repo = mail_repo(tmp_path, {})
    forwarding_loop(repo)
    for args in (("plan",), ("diff", "HEAD", "worktree")):
        code, out, err = run(repo, *args)
        assert (code, out) == (1, ""), err
        assert "no-forward-loops" in err
        summary, *moved, refusal = err.splitlines()[-4:]
        assert summary.startswith("HEAD -> working tree: 2 add (sha256:")
        assert moved == ["a@example.org: unknown -> loop", "b@example.org: unknown -> loop"]
        assert refusal == refused_line(err)


def test_refused_plan_json_and_markdown_show_the_whole_plan(tmp_path: Path) -> None:
    repo = mail_repo(tmp_path, {})
    forwarding_loop(repo)
    code, out, err = run(repo, "plan", "--format", "json")
    data = json.loads(out)
    assert (code, data["refused"]) == (1, True)
    assert [c["dn"] for c in data["changes"]] == list(LOOP)
    assert {f["rule"] for f in data["findings"] if f["severity"] == "error"} == {
        "no-forward-loops"
    }
    assert err.splitlines()[-1] == refused_line(err)

    code, out, _ = run(repo, "plan", "--format", "markdown")
    assert code == 1
    assert out.splitlines()[3] == (
        "**Refused**: the findings below include errors, so this plan must not be applied; "
        "`--format ldif` prints no LDIF for it until they are fixed."
    )
    assert f"dn: {LOOP[0]}\nchangetype: add\n" in out


def test_a_plan_without_errors_is_not_refused(tmp_path: Path) -> None:
    repo = mail_repo(tmp_path, {})
    repo.write("cn=c,ou=people,dc=example,dc=net", person("c", mail="c@example.org"))
    code, out, err = run(repo, "plan", "--format", "json")
    assert (code, json.loads(out)["refused"]) == (0, False), err
    assert "Refused" not in run(repo, "plan", "--format", "markdown")[1]
