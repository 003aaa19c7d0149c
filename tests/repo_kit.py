"""Real directory repos in temp dirs: ldifctl.yaml, entry files, git commits."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ldifctl.cli.main import app
from ldifctl.model import entry_paths
from ldifctl.repo import gitrepo

# What `validate` says of a repo without a mail: section (CONFIG has none): the routing
# rules cannot run, and it says so rather than call the directory valid in silence.
NO_MAIL_WARNING = (
    "ldifctl.yaml: warning [mail-tables] there is no mail: section, so the rules "
    "address-syntax, dangling-forward, hosted-domain, no-forward-loops, no-self-forward, "
    "unique-aliases cannot run (they read addresses through Postfix's lookup tables); add "
    "the tables to mail: (README: Mail routing), or turn the rules off in a policy file\n"
)
CONFIG = """\
base_dn: dc=example,dc=net
directory: directory
policies: policies
"""

# The same suffix entry the test servers create (tests/servers.py).
SUFFIX = """\
dn: dc=example,dc=net
objectClass:
  - domain
  - top
dc: example
"""

PEOPLE = """\
dn: ou=people,dc=example,dc=net
objectClass: organizationalUnit
ou: people
"""

# The seed scenario's user (reference/mail-schemas.md), before any forward is set.
USER = "cn=user.example,ou=people,dc=example,dc=net"
USER_YAML = """\
dn: cn=user.example,ou=people,dc=example,dc=net
objectClass:
  - inetOrgPerson
  - mailRecipient
cn: user.example
mail: new.address@domain.ro
sn: Example
"""
# The same user forwarding its old address, 389-DS style, as a person would write it.
USER_FORWARD = "# 389-DS style forward: mail to the old address goes to the new one.\n" + (
    USER_YAML.replace(
        "sn: Example\n",
        "mailAlternateAddress: old.address@domain.com\n"
        "mailForwardingAddress: new.address@domain.ro\nsn: Example\n",
    )
)


class DirectoryRepo:
    """A git repository holding a directory repo, driven through the real `git`."""

    def __init__(self, root: Path, config: str = CONFIG) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        (root / "ldifctl.yaml").write_text(config)
        (root / "directory").mkdir(exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.email", "test@example.invalid")
        self.git("config", "user.name", "test")

    def git(self, *args: str) -> str:
        done = subprocess.run(["git", *args], cwd=self.root, check=True, capture_output=True)
        return done.stdout.decode()

    def path(self, dn: str) -> Path:
        return self.root / "directory" / entry_paths.to_relpath(dn)

    def write(self, dn: str, text: str) -> Path:
        path = self.path(dn)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    def write_raw(self, relpath: str, data: bytes) -> Path:
        path = self.root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def remove(self, dn: str) -> None:
        self.path(dn).unlink()

    def commit(self, message: str = "change") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").strip()

    def clone(self, root: Path, *options: str) -> DirectoryRepo:
        """A fresh clone of this repo at `root`, checked out as CI checks out a pull request
        (`options` go to `git clone`: `-c key=value` sets the clone's config before that)."""
        subprocess.run(["git", "clone", "-q", *options, str(self.root), str(root)],
                       check=True, capture_output=True)
        clone = DirectoryRepo.__new__(DirectoryRepo)
        clone.root = root
        return clone

    def populate(self, entries: Mapping[str, str]) -> None:
        for dn, text in entries.items():
            self.write(dn, text)


def base_entries() -> dict[str, str]:
    return {"dc=example,dc=net": SUFFIX, "ou=people,dc=example,dc=net": PEOPLE}


def base_repo(root: Path) -> DirectoryRepo:
    """A repo holding the base entries, committed."""
    repo = DirectoryRepo(root)
    repo.populate(base_entries())
    repo.commit("base")
    return repo


def run(repo: DirectoryRepo, *args: str) -> tuple[int, str, str]:
    """Run the CLI in the repo; returns (exit code, stdout, stderr)."""
    runner = CliRunner()
    old = os.getcwd()
    os.chdir(repo.root)
    try:
        result = runner.invoke(app, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def committed_repo(root: Path, entries: Mapping[str, str] | None = None) -> DirectoryRepo:
    """A repo at `root` holding `entries` (default: the suffix and ou=people), committed."""
    repo = DirectoryRepo(root)
    repo.populate(base_entries() if entries is None else entries)
    repo.commit("base")
    return repo


def leftovers(name: str) -> tuple[str, ...]:
    """What vim and emacs leave beside an edited file (vim's `.x.swp` is a dot file already)."""
    return (f"{name}~", f"#{name}#", f"{name}.swp", f"{name}.swo")


def git_runs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """The git commands `gitrepo` runs from now on, each as its arguments."""
    runs: list[tuple[str, ...]] = []
    real = gitrepo.run

    def counted(repo: gitrepo.GitRepo, *args: str) -> bytes:
        runs.append(args)
        return real(repo, *args)

    monkeypatch.setattr(gitrepo, "run", counted)
    return runs
