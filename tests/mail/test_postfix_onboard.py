"""Issue 15, done when: from a running seed-style mail setup to a reviewed repo in three
commands (`init --from-postfix`, `import --from-server`, a commit), after which `resolve`
agrees with the running Postfix on every address, and Postfix's bind_pw is nowhere."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from mail_kit import example_repo
from postfix_kit import READER, READER_PASSWORD, RunningPostfix, point_at, serve
from repo_kit import DirectoryRepo, run
from servers import LdapServer
from test_postfix_real import generated_people
from test_postfix_running import disagreements, probes

# The seed guide's three tables (postfix-book), and the 389-style ones of the example's
# people; server_host in each of the forms Postfix takes.
SEED_TABLES = {
    "ldap-virtual-domains.cf": ("ou=Domains", "(&(objectClass=dNSDomain)(dc=%s))", "dc"),
    "ldap-vmailbox.cf": ("ou=Mail", "(&(objectClass=inetOrgPerson)(mail=%s))", "mail"),
    "ldap-vmailbox-people.cf": ("ou=people", "(&(objectClass=inetOrgPerson)(mail=%s))", "mail"),
    "ldap-aliases.cf": (
        "ou=Mail", "(&(objectClass=PostfixBookMailAccount)(mailAlias=%s))", "mail"
    ),
    "ldap-forwards.cf": ("ou=people", "(mailAlternateAddress=%s)", "mailForwardingAddress"),
}
# main.cf's lines for them: $name and ${name} references, a continued list with a
# comment inside, a table read through proxymap.
SEED_MAIN_CF = """\
seed_tables = {folder}
virtual_mailbox_domains = ldap:${{seed_tables}}/ldap-virtual-domains.cf
virtual_mailbox_maps = ldap:$seed_tables/ldap-vmailbox.cf,
    ldap:$seed_tables/ldap-vmailbox-people.cf
virtual_alias_maps = proxy:ldap:$seed_tables/ldap-aliases.cf
    # the 389-DS forwards come second
    ldap:$seed_tables/ldap-forwards.cf
recipient_delimiter = +
"""


def seed_table(slapd: LdapServer, name: str) -> str:
    ou, query, result = SEED_TABLES[name]
    host = slapd.uri.removeprefix("ldap://")
    hosts = {"ldap-vmailbox.cf": slapd.uri, "ldap-aliases.cf": host}
    server = hosts.get(name, f"{host.partition(':')[0]}\nserver_port = {host.partition(':')[2]}")
    return (
        f"# {name} of the seed guide\nserver_host = {server}\nversion = 3\nbind = yes\n"
        f"bind_dn = {READER}\nbind_pw = {READER_PASSWORD}\n"
        f"search_base = {ou},dc=example,dc=net\nscope = sub\n"
        f"query_filter = {query}\nresult_attribute = {result}\n"
    )


def seed_postfix(slapd: LdapServer, postfix: RunningPostfix) -> None:
    """The seed setup's table files and main.cf lines in the running Postfix."""
    for path in postfix.tables.iterdir():  # an earlier test's
        path.unlink()
    for name in SEED_TABLES:
        (postfix.tables / name).write_text(seed_table(slapd, name))
    postfix.use_tables(SEED_MAIN_CF.format(folder=postfix.tables))


def fresh_repo(root: Path) -> DirectoryRepo:
    """A new git repository with nothing in it (the kit's repo, emptied)."""
    repo = DirectoryRepo(root)
    (root / "ldifctl.yaml").unlink()
    shutil.rmtree(root / "directory")
    return repo


def test_three_commands_make_a_repo_that_routes_as_the_running_postfix(
    tmp_path: Path, clean_slapd: LdapServer, postfix: RunningPostfix,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = example_repo(tmp_path)
    data.populate(generated_people(30))
    point_at(data, clean_slapd)
    serve(data, clean_slapd)  # slapd holds the example and Postfix's account
    seed_postfix(clean_slapd, postfix)

    repo = fresh_repo(tmp_path / "mine")
    outputs = [run(repo, "init", "--from-postfix", str(postfix.conf))]
    assert outputs[0][0] == 0, outputs[0][2]
    # What init declared is what Postfix has deployed, field by field.
    outputs.append(run(repo, "postfix-maps", "--check", str(postfix.conf)))
    assert outputs[-1][0] == 0, outputs[-1]
    monkeypatch.setenv("LDIFCTL_BIND_DN", clean_slapd.root_dn)
    monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", clean_slapd.root_pw)
    outputs.append(run(repo, "import", "--from-server"))
    assert outputs[-1][0] == 0, outputs[-1][2]
    repo.git("add", "-A")
    repo.git("commit", "-qm", "The directory as ldifctl read it")

    addresses = probes(repo)
    assert len(addresses) > 300
    assert disagreements(repo, addresses, postfix) == {}
    shown = "".join(out + err for _, out, err in outputs)
    assert READER_PASSWORD not in shown
    assert READER_PASSWORD not in _everything_in(repo)


def _everything_in(repo: DirectoryRepo) -> str:
    """Every file of the work tree, and every version of every file git holds."""
    files = [p.read_text(errors="replace") for p in repo.root.rglob("*")
             if p.is_file() and ".git" not in p.parts]
    history = subprocess.run(["git", "log", "-p", "--all"], cwd=repo.root, check=True,
                             capture_output=True, text=True).stdout
    return "\n".join([*files, history])
