"""Create a 389 Directory Server instance without systemd, from an .inf file.

Usage: /usr/bin/python3 ds389_create.py INF PIDFILE

Runs under Debian's own python3 because lib389 is the Debian package python3-lib389,
which matches the installed ns-slapd; the project's venv cannot import it.

`dscreate from-file` cannot be used: Debian's lib389 runs `systemctl start` during
the install, which fails without a running systemd, and then deletes the half-built
instance. lib389's own setup code works once DirSrv stops asking systemd.
"""

from __future__ import annotations

import configparser
import logging
import shutil
import sys
from pathlib import Path
from typing import Any

import lib389
from lib389.instance import setup

LISTENHOST = "nsslapd-listenhost: 127.0.0.1\n"


def listen_on_loopback_only(dse_ldif: Path) -> None:
    """Make ns-slapd bind 127.0.0.1 instead of every interface."""
    lines = dse_ldif.read_text().splitlines(keepends=True)
    if LISTENHOST in lines:
        return
    at = lines.index("dn: cn=config\n") + 1
    dse_ldif.write_text("".join([*lines[:at], LISTENHOST, *lines[at:]]))


def give_to(user: str, folder: Path) -> None:
    for path in folder.iterdir():
        shutil.chown(path, user, user)


def patch_dirsrv(pid_file: Path, slapd: configparser.SectionProxy) -> None:
    original_start = lib389.DirSrv.start

    def start(self: Any, *args: Any, **kwargs: Any) -> Any:
        listen_on_loopback_only(Path(slapd["config_dir"]) / "dse.ldif")
        # lib389 writes the NSS database as root; ns-slapd, running as dirsrv, then
        # disables NSS and cannot hash passwords with PBKDF2 ("read-only database").
        give_to(slapd["user"], Path(slapd["cert_dir"]))
        return original_start(self, *args, **kwargs)

    lib389.DirSrv.with_systemd = lambda self: False
    # lib389 hard-codes the pid file under /run/dirsrv, which we do not own.
    lib389.DirSrv.pid_file = lambda self: str(pid_file)
    lib389.DirSrv.start = start
    # On failure lib389 removes the instance, which renames our /etc/dirsrv link and may
    # delete the shared /etc/dirsrv/ssca; the caller deletes its own temp root instead.
    setup.DEBUGGING = True


def create(inf: Path, pid_file: Path) -> None:
    settings = configparser.ConfigParser()
    settings.read(inf)
    slapd = settings["slapd"]
    patch_dirsrv(pid_file, slapd)
    # lib389 finds an instance only through /etc/dirsrv/slapd-NAME/dse.ldif.
    link = Path("/etc/dirsrv") / f"slapd-{slapd['instance_name']}"
    link.symlink_to(slapd["config_dir"])
    try:
        if not setup.SetupDs(log=logging.getLogger("ds389_create")).create_from_inf(str(inf)):
            raise SystemExit(f"lib389 rejected {inf}")
    finally:
        link.unlink()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    create(Path(sys.argv[1]), Path(sys.argv[2]))
