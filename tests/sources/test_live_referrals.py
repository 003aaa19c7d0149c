"""A real slapd holding referral entries (referral_kit.py): the real ldapsearch prints
tests/ldif_fixtures/referrals/ byte for byte, python-ldap hands the references over as
`RES_SEARCH_REFERENCE`, and `import --from-server` (any read of the server) refuses the
subtree it cannot read whole, naming where the rest lives."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import ldap
import pytest
import referral_kit
import servers
from live_kit import dedicated_slapd, ldifctl
from referral_kit import ARCHIVE_URLS, LEGACY, LEGACY_URL, PEOPLE_DN, RUNS
from repo_kit import DirectoryRepo


@pytest.fixture(scope="module")
def referring(tmp_path_factory: pytest.TempPathFactory) -> Iterator[servers.LdapServer]:
    """A slapd of this module's own: fresh, so the paged cookies (entry IDs) are the
    fixtures', and no referral entry is left in the shared one (`reset` cannot see it)."""
    with dedicated_slapd(tmp_path_factory.mktemp("referring")) as dedicated:
        referral_kit.load(dedicated.server)
        yield dedicated.server


@pytest.mark.parametrize("name", sorted(RUNS))
def test_the_fixtures_are_what_ldapsearch_prints(referring: servers.LdapServer, name: str) -> None:
    done = referral_kit.ldapsearch(referring, RUNS[name])
    assert (done.returncode, done.stderr) == (0, b"")
    assert done.stdout == referral_kit.fixture(name)


def test_ldapsearch_below_a_referral_prints_nothing_and_exits_10(
    referring: servers.LdapServer,
) -> None:
    done = referral_kit.ldapsearch(referring, ["-LLL"], f"cn=x,{LEGACY}")
    assert (done.returncode, done.stdout) == (10, b"")
    assert done.stderr.decode() == (
        f"Referral (10)\nMatched DN: {LEGACY}\nReferral: ldap://ldap2.example.net/cn=x,"
        f"{LEGACY}??sub\n"
    )


def test_python_ldap_hands_over_each_reference_with_its_urls(
    referring: servers.LdapServer,
) -> None:
    with referring.bind() as conn:
        conn.set_option(ldap.OPT_REFERRALS, 0)  # as sources/connection.py
        msgid = conn.search_ext(servers.SUFFIX, ldap.SCOPE_SUBTREE, "(objectClass=*)", ["1.1"])
        kinds: list[int] = []
        references: list[list[str]] = []
        while not kinds or kinds[-1] != ldap.RES_SEARCH_RESULT:
            kind, data, _, _ = conn.result3(msgid, all=0)
            kinds.append(kind)
            references += [urls for dn, urls in data if kind == ldap.RES_SEARCH_REFERENCE]
    assert kinds.count(ldap.RES_SEARCH_ENTRY) == 5
    assert references == [[f"{LEGACY_URL}??sub"], [f"{url}??sub" for url in ARCHIVE_URLS]]


def repo_for(root: Path, server: servers.LdapServer, base_dn: str) -> DirectoryRepo:
    uri, bind = server.uri, server.root_dn
    return DirectoryRepo(root, f"base_dn: {base_dn}\nserver:\n  uri: {uri}\n  bind_dn: {bind}\n")


@pytest.fixture
def password(referring: servers.LdapServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", referring.root_pw)
    monkeypatch.delenv("LDIFCTL_BIND_PASSWORD_FILE", raising=False)


def referred_below(server: servers.LdapServer, url: str) -> str:
    """What every command that reads the server says of a referral inside base_dn."""
    return (
        f"error: {server.uri} refers part of {PEOPLE_DN} to another server ({url}): "
        "ldifctl reads and writes one server, and would take the entries there as deleted; "
        "set base_dn to the subtrees this server holds, and manage the referred one from "
        "the server the reference names\n"
    )


def referred_base(server: servers.LdapServer, base: str, url: str) -> str:
    """... and of a base_dn at or below a referral entry."""
    return (
        f"error: {server.uri} does not hold {base}: it refers it to another server ({url}, "
        f"the referral entry {LEGACY}): set server.uri to the server that holds {base}, or "
        f"base_dn to the subtrees {server.uri} holds\n"
    )


@pytest.mark.usefixtures("password")
@pytest.mark.parametrize("command", [["import", "--from-server"], ["diff", "server", "worktree"]])
def test_a_referral_below_base_dn_stops_the_read(
    tmp_path: Path, referring: servers.LdapServer, command: list[str]
) -> None:
    """Read on, the entries on ldap2 would be missing: deleted, to the diff."""
    repo = repo_for(tmp_path / "repo", referring, PEOPLE_DN)
    assert ldifctl(repo, *command) == (1, "", referred_below(referring, f"{LEGACY_URL}??sub"))
    assert not list((repo.root / "directory").rglob("*.yaml"))


@pytest.mark.usefixtures("password")
@pytest.mark.parametrize("base", [LEGACY, f"cn=x,{LEGACY}"])
def test_a_base_dn_behind_a_referral_is_refused(
    tmp_path: Path, referring: servers.LdapServer, base: str
) -> None:
    """slapd answers a search there with result 10 and the referral's URL (with the
    base's DN in it), never as an empty directory."""
    repo = repo_for(tmp_path / "repo", referring, base)
    url = f"ldap://ldap2.example.net/{base}??sub"
    assert ldifctl(repo, "import", "--from-server") == (1, "", referred_base(referring, base, url))
    assert not list((repo.root / "directory").rglob("*.yaml"))


@pytest.mark.usefixtures("password")
def test_a_base_dn_beside_the_referrals_imports(
    tmp_path: Path, referring: servers.LdapServer
) -> None:
    repo = repo_for(tmp_path / "repo", referring, f"cn=postmaster,{PEOPLE_DN}")
    assert ldifctl(repo, "import", "--from-server") == (
        0, "", "1 files written, 0 unchanged, 0 removed in directory\n"
    )


@pytest.mark.ds389
def test_389_ds_is_refused_in_the_same_words(
    tmp_path: Path, clean_ds389: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """389-DS sends the references as slapd does (the URL as stored), but answers a
    search below a referral entry with No such object (32), the referral entry matched:
    not an empty directory either."""
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", clean_ds389.root_pw)
    monkeypatch.delenv("LDIFCTL_BIND_PASSWORD_FILE", raising=False)
    clean_ds389.ldapadd(referral_kit.BEFORE)
    below = f"cn=x,{LEGACY}"
    inside = repo_for(tmp_path / "inside", clean_ds389, PEOPLE_DN)
    behind = repo_for(tmp_path / "behind", clean_ds389, below)
    with clean_ds389.bind() as conn:
        referral_kit.add_referral(conn, LEGACY, LEGACY_URL)
        try:  # `reset` cannot see a referral entry: it goes here
            said = [ldifctl(repo, "import", "--from-server") for repo in (inside, behind)]
        finally:
            referral_kit.delete_referral(conn, LEGACY)
    assert said == [
        (1, "", referred_below(clean_ds389, LEGACY_URL)),
        (1, "", referred_base(clean_ds389, below, LEGACY_URL)),
    ]


@pytest.mark.usefixtures("password")
def test_drift_by_ldapsearch_refuses_a_referral_below_base_dn(
    tmp_path: Path, referring: servers.LdapServer
) -> None:
    """`drift` compares what `ldapsearch -LLL` prints with the repo's renderings once the
    repo's state is cached; the references it prints are comments there, which that
    comparison once took out with the others: the entries on ldap2 read as gone, and the
    second `drift` said nothing differed. Both runs refuse, as every read does."""
    repo = repo_for(tmp_path / "repo", referring, PEOPLE_DN)
    repo.write(PEOPLE_DN, f"dn: {PEOPLE_DN}\nobjectClass: organizationalUnit\nou: people\n")
    repo.commit("people")
    message = referred_below(referring, f"{LEGACY_URL}??sub")
    code, _, said = ldifctl(repo, "validate")  # the repo's state cached
    assert (code, said.splitlines()[-1]) == (0, "1 entries in directory: valid")
    for _ in range(2):
        assert ldifctl(repo, "drift") == (1, "", message)


@pytest.fixture(scope="module")
def misreferring(tmp_path_factory: pytest.TempPathFactory) -> Iterator[servers.LdapServer]:
    """A slapd holding a referral entry whose only value is no URL slapd can read (a
    space before it): slapd then sends neither the entry nor a reference for it."""
    with dedicated_slapd(tmp_path_factory.mktemp("misreferring")) as dedicated:
        dedicated.server.ldapadd(referral_kit.BEFORE)
        with dedicated.server.bind() as conn:
            referral_kit.add_referral(conn, LEGACY, f" {LEGACY_URL}")
        yield dedicated.server


def test_slapd_sends_nothing_of_a_referral_entry_it_cannot_read(
    misreferring: servers.LdapServer,
) -> None:
    """The fact the probe rests on: neither python-ldap nor ldapsearch sees a trace."""
    with misreferring.bind() as conn:
        msgid = conn.search_ext(PEOPLE_DN, ldap.SCOPE_SUBTREE, "(objectClass=*)", ["1.1"])
        kinds: list[int] = []
        dns: list[str] = []
        while not kinds or kinds[-1] != ldap.RES_SEARCH_RESULT:
            kind, data, _, _ = conn.result3(msgid, all=0)
            kinds.append(kind)
            dns += [dn for dn, _ in data if kind == ldap.RES_SEARCH_ENTRY]
    assert ldap.RES_SEARCH_REFERENCE not in kinds
    assert LEGACY not in dns and dns
    printed = referral_kit.ldapsearch(misreferring, ["-LLL"], PEOPLE_DN)
    assert (printed.returncode, b"# ref" in printed.stdout) == (0, False)


@pytest.mark.parametrize(
    "command", [["import", "--from-server"], ["diff", "server", "worktree"], ["drift"]]
)
def test_a_referral_entry_slapd_cannot_read_stops_every_read(
    tmp_path: Path, misreferring: servers.LdapServer, monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:
    """Read on, whatever lies below it (on another server, or nowhere) would be taken
    as deleted. Twice for drift: by python-ldap, then by ldapsearch once the state is
    cached."""
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", misreferring.root_pw)
    monkeypatch.delenv("LDIFCTL_BIND_PASSWORD_FILE", raising=False)
    repo = repo_for(tmp_path / "repo", misreferring, PEOPLE_DN)
    repo.write(PEOPLE_DN, f"dn: {PEOPLE_DN}\nobjectClass: organizationalUnit\nou: people\n")
    repo.commit("people")
    assert ldifctl(repo, "validate")[0] == 0
    message = (
        f"error: {misreferring.uri} holds the referral entry {LEGACY} below {PEOPLE_DN}, "
        f"whose ref ' {LEGACY_URL}' is no URL it sends: it sends neither that entry nor "
        "anything below it, and ldifctl would take them as deleted; fix the ref: value on "
        "the server (an LDAP URL), or set base_dn to the subtrees this server holds\n"
    )
    for _ in range(2 if command == ["drift"] else 1):
        assert ldifctl(repo, *command) == (1, "", message)
