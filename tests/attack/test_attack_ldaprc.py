"""An `ldaprc` committed at the repository's root: libldap reads it from the current
directory, so it could set the CA the bind password goes to or cut drift's read short.
Every command that talks to the server refuses it, before anything is sent."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import servers
from attack_kit import LDIFCTL
from live_kit import PEOPLE_DN, live_repo

EVIL_CA = "/nonexistent/chosen-by-the-pull-request.pem"
# What a pull request would write: its own CA, no certificate check, one entry per search.
LDAPRC = f"TLS_CACERT {EVIL_CA}\nTLS_REQCERT never\nSIZELIMIT 1\n"
NEW = f"dn: cn=new,{PEOPLE_DN}\nobjectClass: person\ncn: new\nsn: New\n"


def as_a_user(
    folder: Path, *args: str, ldaprc: str | None = None, ldapconf: str | None = None,
    home: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run without the tests' LDAPNOINIT (servers.py), as libldap runs for a user, with
    `$LDAPRC` set to `ldaprc`, `$LDAPCONF` to `ldapconf` and `$HOME` to `home` when given."""
    names = ("LDAPNOINIT", "LDAPRC", "LDAPCONF")
    env = {k: v for k, v in os.environ.items() if k not in names}
    env.update({"LDAPRC": ldaprc} if ldaprc is not None else {})
    env.update({"LDAPCONF": ldapconf} if ldapconf is not None else {})
    env.update({"HOME": str(home)} if home is not None else {})
    return subprocess.run(
        args, cwd=folder, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_libldap_reads_the_ldaprc_of_the_current_directory(tmp_path: Path) -> None:
    """The fact the refusal rests on: a file in the folder sets libldap's CA."""
    (tmp_path / "ldaprc").write_text(LDAPRC)
    probe = "import ldap; print(ldap.get_option(ldap.OPT_X_TLS_CACERTFILE))"
    done = as_a_user(tmp_path, sys.executable, "-c", probe)
    assert done.stdout.strip() == EVIL_CA, done.stderr
    # And the file a relative $LDAPRC names, from the same folder.
    (tmp_path / "ldaprc").rename(tmp_path / "chosen.rc")
    done = as_a_user(tmp_path, sys.executable, "-c", probe, ldaprc="chosen.rc")
    assert done.stdout.strip() == EVIL_CA, done.stderr
    # And the file a relative $LDAPCONF names (a path, read as given: from the folder).
    done = as_a_user(tmp_path, sys.executable, "-c", probe, ldapconf="chosen.rc")
    assert done.stdout.strip() == EVIL_CA, done.stderr
    # And `.ldaprc` in $HOME, when $HOME is the folder.
    (tmp_path / "chosen.rc").rename(tmp_path / ".ldaprc")
    done = as_a_user(tmp_path, sys.executable, "-c", probe, home=tmp_path)
    assert done.stdout.strip() == EVIL_CA, done.stderr


# The one line the user sees for each refused form: the file, what is wrong with it (what
# libldap would let it set, and where ldifctl takes that from instead), what to do.
def found_in_folder(path: Path) -> str:
    return (
        f"error: {path}: libldap would read this file and let it set the CA, certificate "
        "check and search limits of ldifctl's connection; ldifctl takes them from "
        "ldifctl.yaml's server: section only: remove the file, or run ldifctl from a folder "
        "without one\n"
    )


def named_by_ldaprc(path: Path, variable: str = "LDAPRC") -> str:
    return (
        f"error: {path}: libldap would read this file (${variable} leads to it) and let it "
        "set the CA, certificate check and search limits of ldifctl's connection; ldifctl "
        "takes them from ldifctl.yaml's server: section only: remove the file, give "
        f"${variable} a place outside this folder, or run ldifctl from a folder without one\n"
    )


def refused(done: subprocess.CompletedProcess[str], message: str) -> None:
    assert (done.returncode, done.stdout, done.stderr) == (1, "", message)


def test_server_commands_refuse_an_ldaprc_in_the_repository(
    tmp_path: Path, clean_slapd: servers.LdapServer
) -> None:
    server = clean_slapd
    repo = live_repo(tmp_path / "repo", server)
    repo.write(f"cn=new,{PEOPLE_DN}", NEW)
    repo.commit("people and a new entry")
    (repo.root / "ldaprc").write_text(LDAPRC)
    env_password = {"LDIFCTL_BIND_PASSWORD": server.root_pw}
    os.environ.update(env_password)
    try:
        here = found_in_folder(repo.root / "ldaprc")
        for command in (["drift"], ["apply", "--yes"], ["plan", "--base", "server"]):
            refused(as_a_user(repo.root, LDIFCTL, *command), here)
        # Nothing was sent: the server still holds only its suffix.
        assert list(server.search_all()) == ["dc=example,dc=net"]
        # A link to the file is refused as well (libldap follows it).
        (repo.root / "ldaprc").rename(tmp_path / "elsewhere")
        (repo.root / "ldaprc").symlink_to(tmp_path / "elsewhere")
        refused(as_a_user(repo.root, LDIFCTL, "apply", "--yes"), here)
        # So is the file a relative $LDAPRC names, which libldap reads from the folder.
        (repo.root / "ldaprc").rename(repo.root / "chosen.rc")
        named = named_by_ldaprc(repo.root / "chosen.rc")
        refused(as_a_user(repo.root, LDIFCTL, "apply", "--yes", ldaprc="chosen.rc"), named)
        named = named_by_ldaprc(repo.root / "chosen.rc", "LDAPCONF")
        refused(as_a_user(repo.root, LDIFCTL, "drift", ldapconf="chosen.rc"), named)
        # Without it the same commands work, from the same folder.
        (repo.root / "chosen.rc").unlink()
        done = as_a_user(repo.root, LDIFCTL, "apply", "--yes")
        assert done.returncode == 0, done.stderr
        assert f"cn=new,{PEOPLE_DN}" in server.search_all()
        done = as_a_user(repo.root, LDIFCTL, "drift")
        assert (done.returncode, done.stderr) == (0, "server -> working tree: no changes\n")
    finally:
        for name in env_password:
            os.environ.pop(name, None)


def test_only_a_file_libldap_reads_from_the_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libldap reads `$LDAPRC` as a name (from the current folder and $HOME), `$LDAPCONF`
    as a path, and `ldaprc`/`.ldaprc` in $HOME: each is refused when it is in the
    folder ldifctl runs in, however named; the operator's files elsewhere are not."""
    from ldifctl.model.errors import LdifctlError
    from ldifctl.repo.settings.ldaprc import refuse_local_ldaprc

    def refused_as(path: Path, variable: str) -> None:
        with pytest.raises(LdifctlError) as raised:
            refuse_local_ldaprc()
        assert f"error: {raised.value}\n" == named_by_ldaprc(path, variable)

    for name in ("LDAPNOINIT", "LDAPRC", "LDAPCONF"):
        monkeypatch.delenv(name, raising=False)
    repo, home = tmp_path / "repo", tmp_path / "home"
    repo.mkdir()
    home.mkdir()
    monkeypatch.chdir(repo)
    monkeypatch.setenv("HOME", str(home))
    mine, theirs = tmp_path / "operator.rc", repo / "operator.rc"
    for path in (mine, theirs, home / ".ldaprc"):
        path.write_text("TLS_CACERT /etc/ssl/certs/ca-certificates.crt\n")
    refuse_local_ldaprc()  # the user's ~/.ldaprc, outside the folder
    for variable in ("LDAPRC", "LDAPCONF"):
        monkeypatch.setenv(variable, str(mine))
        refuse_local_ldaprc()  # the operator's choice, outside the folder
        for given in ("operator.rc", str(theirs), "../repo/operator.rc"):
            monkeypatch.setenv(variable, given)
            refused_as(repo / given, variable)
        monkeypatch.delenv(variable)
    monkeypatch.setenv("HOME", str(repo))  # a CI job whose home is the checkout
    (repo / ".ldaprc").write_text("TLS_REQCERT never\n")
    refused_as(repo / ".ldaprc", "HOME")
    monkeypatch.setenv("LDAPNOINIT", "")  # set at all, libldap reads no file
    refuse_local_ldaprc()
