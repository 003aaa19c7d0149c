"""What `apply` does with a person at a terminal: it asks, and it shows progress."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
import servers
from live_kit import PEOPLE_DN, in_sync, ldifctl, live_repo, people

from ldifctl.cli import live as cli_live


@pytest.fixture
def server(clean_slapd: servers.LdapServer, monkeypatch: pytest.MonkeyPatch) -> servers.LdapServer:
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", clean_slapd.root_pw)
    monkeypatch.setattr(cli_live, "_interactive", lambda: True)
    return clean_slapd


def test_at_a_terminal_apply_asks_and_no_means_no(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    repo = live_repo(tmp_path / "repo", server)
    code, out, err = ldifctl(repo, "apply", stdin="n\n")
    assert code == 1
    # The plan comes first on stdout (CliRunner echoes the typed answer there too).
    assert out.startswith(f"dn: {PEOPLE_DN}\nchangetype: add\nobjectClass: organizationalUnit\n")
    assert err.endswith(f"Apply 1 change(s) to {server.uri}? [y/N]:nothing was sent\n")
    assert len(people(server)) == 0


def test_at_a_terminal_yes_applies(tmp_path: Path, server: servers.LdapServer) -> None:
    repo = live_repo(tmp_path / "repo", server)
    code, _, err = ldifctl(repo, "apply", stdin="y\n")
    assert code == 0, err
    assert in_sync(repo, server)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_shown_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    show = cli_live._progress(3)
    assert show is not None
    for done in (1, 2, 3):
        show(done)
    assert terminal.getvalue().endswith("\rapplying: 3/3")
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert cli_live._progress(3) is None
