"""A pull request that edits how entries are read (`ignore_attributes:`, `attributes:`):
its plan, made between two revisions, is the change set `apply` sends after the merge,
on real servers."""

from __future__ import annotations

import re
from pathlib import Path

import servers
from live_kit import ldifctl, live_repo, people
from repo_kit import USER, USER_YAML

IGNORING = "ignore_attributes: [description]\n"
DESCRIBED = USER_YAML + "description: not in the plan before\n"


def _checksum(err: str) -> str:
    """The checksum of the plan's summary line."""
    found: list[str] = re.findall(r"\((sha256:[0-9a-f]+)\)$", err, re.MULTILINE)
    return found[-1]


def test_un_ignoring_an_attribute_plans_what_apply_sends(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    """The base ignores `description`; the change stops ignoring it and gives an entry
    one. Its plan said "no changes" (made with the base's settings), and after the merge
    `apply` sent the description: the plan now holds it, with its checksum."""
    repo = live_repo(tmp_path / "repo", server, IGNORING)
    repo.write(USER, USER_YAML)
    base = repo.commit("ignore description")
    assert ldifctl(repo, "apply", "--yes")[0] == 0
    config = repo.root / "ldifctl.yaml"
    config.write_text(config.read_text().replace(IGNORING, ""))
    repo.write(USER, DESCRIBED)
    repo.commit("describe the user")

    code, out, err = ldifctl(repo, "plan", "--base", base, "--head", "HEAD")
    assert code == 0, err
    assert out == (
        f"dn: {USER}\nchangetype: modify\nadd: description\n"
        "description: not in the plan before\n-\n\n"
    )
    assert err.splitlines()[0] == (
        "ldifctl.yaml: warning [settings-source] this change edits how ldifctl.yaml reads "
        "entries (apply compares description from now on: values the server holds and the "
        "entry files lack will be deleted): the LDIF is the change set with the new "
        "settings, as apply computes it after the merge; review `ldifctl plan --base "
        "server` before it is applied"
    )
    # Merged: the reviewed checksum is the one apply computes against the server.
    code, _, err = ldifctl(repo, "apply", "--yes", "--checksum", _checksum(err))
    assert code == 0, err
    assert people(server).get_dn(USER).get("description") == (  # type: ignore[union-attr]
        b"not in the plan before",
    )


def test_a_value_an_unchanged_file_held_unseen_is_planned(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    """A description committed while it was ignored, in a file the change does not touch:
    the change that stops ignoring it plans its add (the whole state is diffed again)."""
    repo = live_repo(tmp_path / "repo", server, IGNORING)
    repo.write(USER, DESCRIBED)
    base = repo.commit("a description nobody saw")
    assert ldifctl(repo, "apply", "--yes")[0] == 0
    assert people(server).get_dn(USER).get("description") == ()  # type: ignore[union-attr]
    config = repo.root / "ldifctl.yaml"
    config.write_text(config.read_text().replace(IGNORING, ""))
    repo.commit("stop ignoring description")

    code, out, err = ldifctl(repo, "plan", "--base", base, "--head", "HEAD")
    assert (code, out) == (0, (
        f"dn: {USER}\nchangetype: modify\nadd: description\n"
        "description: not in the plan before\n-\n\n"
    )), err
    code, _, server_err = ldifctl(repo, "plan", "--base", "server")
    assert (code, _checksum(server_err)) == (0, _checksum(err)), server_err


def test_a_newly_ignored_attribute_is_planned_as_apply_leaves_it(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    """The change ignores `description` and drops an entry's: apply, after the merge,
    neither reads nor writes it, and the plan says no change (it used to show a delete)."""
    repo = live_repo(tmp_path / "repo", server)
    repo.write(USER, DESCRIBED)
    base = repo.commit("described")
    assert ldifctl(repo, "apply", "--yes")[0] == 0
    config = repo.root / "ldifctl.yaml"
    config.write_text(config.read_text() + IGNORING)
    repo.write(USER, USER_YAML)
    repo.commit("ignore description")

    code, out, err = ldifctl(repo, "plan", "--base", base, "--head", "HEAD")
    assert (code, out) == (0, ""), err
    assert "(apply no longer reads or writes description)" in err
    assert re.search(r"-> HEAD: no changes", err), err
    assert ldifctl(repo, "apply", "--yes")[0] == 0
    assert people(server).get_dn(USER).get("description") == (  # type: ignore[union-attr]
        b"not in the plan before",
    )
