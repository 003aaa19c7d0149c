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
from repo_kit import DirectoryRepo

EVIL_CA = "/nonexistent/chosen-by-the-pull-request.pem"
# What a pull request would write: its own CA, no certificate check, one entry per search.
LDAPRC = f"TLS_CACERT {EVIL_CA}\nTLS_REQCERT never\nSIZELIMIT 1\n"
NEW = f"dn: cn=new,{PEOPLE_DN}\nobjectClass: person\ncn: new\nsn: New\n"


def as_a_user(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run without the tests' LDAPNOINIT (servers.py), as libldap runs for a user."""
    env = {k: v for k, v in os.environ.items() if k != "LDAPNOINIT"}
    return subprocess.run(
        args, cwd=folder, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_libldap_reads_the_ldaprc_of_the_current_directory(tmp_path: Path) -> None:
    """The fact the refusal rests on: a file in the folder sets libldap's CA."""
    (tmp_path / "ldaprc").write_text(LDAPRC)
    probe = "import ldap; print(ldap.get_option(ldap.OPT_X_TLS_CACERTFILE))"
    done = as_a_user(tmp_path, sys.executable, "-c", probe)
    assert done.stdout.strip() == EVIL_CA, done.stderr


def refused(done: subprocess.CompletedProcess[str], repo: DirectoryRepo) -> None:
    assert (done.returncode, done.stdout) == (1, ""), done.stderr
    assert done.stderr.startswith(f"error: {repo.root / 'ldaprc'}: libldap would read this file"), (
        done.stderr
    )
    assert "remove the file" in done.stderr
    assert "unexpected error" not in done.stderr


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
        for command in (["drift"], ["apply", "--yes"], ["plan", "--base", "server"]):
            refused(as_a_user(repo.root, LDIFCTL, *command), repo)
        # Nothing was sent: the server still holds only its suffix.
        assert list(server.search_all()) == ["dc=example,dc=net"]
        # A link to the file is refused as well (libldap follows it).
        (repo.root / "ldaprc").rename(tmp_path / "elsewhere")
        (repo.root / "ldaprc").symlink_to(tmp_path / "elsewhere")
        refused(as_a_user(repo.root, LDIFCTL, "apply", "--yes"), repo)
        # Without it the same commands work, from the same folder.
        (repo.root / "ldaprc").unlink()
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
    """libldap reads `$LDAPRC` as given: a relative name from the current folder (refused
    there, as `ldaprc` is), an absolute one wherever ldifctl runs (the operator's own)."""
    from ldifctl.model.errors import LdifctlError
    from ldifctl.repo.settings.ldaprc import refuse_local_ldaprc

    monkeypatch.delenv("LDAPNOINIT", raising=False)
    monkeypatch.chdir(tmp_path)
    mine = tmp_path / "operator.rc"
    mine.write_text("TLS_CACERT /etc/ssl/certs/ca-certificates.crt\n")
    monkeypatch.setenv("LDAPRC", str(mine))
    refuse_local_ldaprc()  # absolute: the operator's choice, not the folder's
    monkeypatch.setenv("LDAPRC", "operator.rc")
    with pytest.raises(LdifctlError, match=r"operator\.rc: libldap would read this file"):
        refuse_local_ldaprc()
    monkeypatch.setenv("LDAPNOINIT", "1")
    refuse_local_ldaprc()  # no file at all is read
