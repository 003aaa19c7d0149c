"""Fixtures for real servers: see servers.py."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import servers
from live_kit import SERVER_PARAMS, clean_server
from postfix_kit import RunningPostfix, running_postfix


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "ds389: needs a real 389 Directory Server (LDIFCTL_SKIP_389=1 skips it where it "
        "cannot run)",
    )


@pytest.fixture(scope="session")
def slapd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[servers.LdapServer]:
    with servers.running_slapd(tmp_path_factory.mktemp("slapd")) as server:
        yield server


@pytest.fixture
def clean_slapd(slapd: servers.LdapServer) -> servers.LdapServer:
    slapd.reset()
    return slapd


@pytest.fixture(scope="session")
def ds389() -> Iterator[servers.LdapServer]:
    with contextlib.ExitStack() as stack:
        try:
            server = stack.enter_context(servers.running_ds389())
        except (servers.ServerError, OSError) as exc:
            # CI installs 389-DS, so a broken setup must fail there, not pass as skipped.
            if os.environ.get("LDIFCTL_SKIP_389") == "1":
                pytest.skip(f"389 Directory Server unavailable: {exc}")
            raise
        yield server


@pytest.fixture
def clean_ds389(ds389: servers.LdapServer) -> servers.LdapServer:
    ds389.reset()
    return ds389


@pytest.fixture(scope="session")
def postfix() -> Iterator[RunningPostfix]:
    """A private, running Postfix (postfix_kit.py), one per test session."""
    with running_postfix() as instance:
        yield instance


@pytest.fixture
def postfix_confdir(tmp_path: Path) -> Path:
    return servers.make_postfix_confdir(tmp_path / "postfix")


@pytest.fixture(params=SERVER_PARAMS)
def server(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> servers.LdapServer:
    """Each live test runs on slapd and on 389-DS: the session server, emptied."""
    return clean_server(request, monkeypatch)  # type: ignore[no-any-return]


@pytest.fixture(autouse=True, scope="session")
def cache_key_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The key that seals `.git/ldifctl/` (made on first use) lives in a temp state home,
    not in the home folder of whoever runs the tests."""
    home = tmp_path_factory.mktemp("state-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_STATE_HOME", str(home))
        patch.delenv("LDIFCTL_CACHE_KEY", raising=False)
        yield home


@pytest.fixture
def slapd_env(
    clean_slapd: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> servers.LdapServer:
    """The session slapd, emptied, with its password where ldifctl reads it."""
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", clean_slapd.root_pw)
    monkeypatch.delenv("LDIFCTL_BIND_PASSWORD_FILE", raising=False)
    return clean_slapd
