"""`ldifctl init`: the files of a new directory repo, never one overwritten."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ldifctl.cli.main import app
from ldifctl.policy.files import load_policies
from ldifctl.repo.settings.config import parse_config
from ldifctl.repo.settings.mail import parse_mail

FILES = ["ldifctl.yaml", "policies/mail.yaml", ".pre-commit-config.yaml", ".gitignore"]


def init(folder: Path, *args: str) -> tuple[int, str, str]:
    done = CliRunner().invoke(app, ["init", *args], catch_exceptions=False)
    return done.exit_code, done.stdout, done.stderr


@pytest.mark.parametrize("setup", ["postfix-book", "389-ds"])
def test_a_starter_for_each_seed_setup_is_settings_every_command_accepts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setup: str
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = init(tmp_path, "--setup", setup)
    assert code == 0, err
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()) == (
        sorted(FILES)
    )
    assert err.splitlines()[-5:] == [*(f"wrote {name}" for name in FILES), "next:"]
    assert out == (
        "  LDIFCTL_BIND_DN=<dn> LDIFCTL_BIND_PASSWORD_FILE=<file> ldifctl import "
        "--from-server\n"
        '  git init && git add -A && git commit -m "The directory as ldifctl read it"\n'
    )
    config = parse_config((tmp_path / "ldifctl.yaml").read_bytes(), "ldifctl.yaml", tmp_path, {})
    mail = parse_mail(config.mail, config.schema())
    assert mail.virtual_alias_maps and mail.virtual_mailbox_maps
    policies = load_policies((("policies/mail.yaml", (tmp_path / FILES[1]).read_bytes()),))
    assert policies.rules["no-forward-loops"].severity == "error"
    hooks = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())
    assert hooks["repos"][0]["repo"] == "local"


def test_the_files_init_writes_are_plain_files_not_executables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    umask = os.umask(0o022)
    try:
        code, _, err = init(tmp_path, "--setup", "postfix-book")
    finally:
        os.umask(umask)
    assert code == 0, err
    modes = {name: stat.S_IMODE((tmp_path / name).stat().st_mode) for name in FILES}
    assert modes == dict.fromkeys(FILES, 0o644)


def test_init_overwrites_nothing_and_names_what_is_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".gitignore").write_text("mine\n")
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "mail.yaml").write_text("rules: {}\n")
    code, out, err = init(tmp_path)
    assert (code, out) == (1, "")
    assert err == (
        f"error: {tmp_path}: policies/mail.yaml, .gitignore already there: ldifctl init never "
        "overwrites a file; run it in an empty folder or a fresh git repository, or move "
        "them away\n"
    )
    assert (tmp_path / ".gitignore").read_text() == "mine\n"
    assert not (tmp_path / "ldifctl.yaml").exists()


def test_a_postfix_folder_that_names_no_ldap_table_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    etc = tmp_path / "etc"
    etc.mkdir()
    (etc / "main.cf").write_text("virtual_alias_maps = hash:/etc/postfix/virtual\n")
    code, _, err = init(tmp_path, "--from-postfix", str(etc))
    assert code == 1
    assert err == (
        f"error: {etc}/main.cf: none of virtual_mailbox_domains, virtual_mailbox_maps, "
        "virtual_alias_maps names an ldap: table: there is nothing to make ldifctl.yaml from "
        "(run `ldifctl init` without --from-postfix for a starter)\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["etc"]


def test_what_commands_write_beside_the_repo_stays_out_of_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """postfix-maps' files may hold Postfix's bind_pw: `git add -A` must not take them."""
    monkeypatch.chdir(tmp_path)
    subprocess.run(["git", "init", "-q"], check=True)
    assert init(tmp_path)[0] == 0
    written = ["postfix/virtual_alias_maps.cf", ".ldifctl/report.json", "apply-report/x"]
    done = subprocess.run(["git", "check-ignore", *written], capture_output=True, text=True,
                          check=False)
    assert done.stdout.splitlines() == written


def test_inside_another_repository_it_writes_no_hooks_that_would_check_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pre-commit runs hooks at the top of the work tree, where `^directory/` matches no
    file of `mail/directory/`: they passed every commit. Nor is a nested `git init` said."""
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    folder = tmp_path / "mail"
    folder.mkdir()
    monkeypatch.chdir(folder)
    code, out, err = init(folder)
    assert code == 0, err
    assert sorted(p.name for p in folder.iterdir()) == [".gitignore", "ldifctl.yaml", "policies"]
    top = tmp_path.resolve()
    assert err.splitlines()[0] == (
        f"warning: not written: .pre-commit-config.yaml: {folder} is inside the git "
        f"repository {top}, and pre-commit runs hooks from its top, where these would check "
        f"no file; give the directory repo a git repository of its own, or add hooks to "
        f"{top / '.pre-commit-config.yaml'} that run `ldifctl validate` in this folder"
    )
    assert "git init" not in out
    commit = '  git add -A && git commit -m "The directory as ldifctl read it"'
    assert out.splitlines()[-1] == commit


ROOT = Path(__file__).resolve().parents[2]


def test_the_written_hooks_are_ldifctl_s_own_run_by_the_installed_ldifctl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """They work as written: no git URL of ldifctl to fill in, pre-commit runs them."""
    monkeypatch.chdir(tmp_path)
    assert init(tmp_path, "--setup", "389-ds")[0] == 0
    local = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())["repos"][0]
    own = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    fields = ("id", "entry", "files", "pass_filenames")
    assert [{k: h.get(k) for k in fields} for h in local["hooks"]] == [
        {k: h.get(k) for k in fields} for h in own
    ]

    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
           "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    entry = tmp_path / "directory" / "dc=net" / "dc=example.yaml"
    entry.parent.mkdir(parents=True)
    entry.write_text("dn: dc=example,dc=net\nobjectClass: dcObject\nobjectClass: dcObject\n")
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
    run = [sys.executable, "-m", "pre_commit", "run", "--all-files"]
    bad = subprocess.run(run, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert bad.returncode == 1
    assert (
        "directory/dc=net/dc=example.yaml:3: duplicate key 'objectClass' (first at line 2): "
        "merge the values into one list"
    ) in bad.stdout
