"""`plan` judges a change with the base revision's ldifctl.yaml: what decides a verdict
(policies:, mail:, attributes:, ignore_attributes:, base_dn) is the base's; the folder of
entries is the change's own."""

from __future__ import annotations

from pathlib import Path

from mail_kit import example_repo
from repo_kit import USER as USER_DN
from repo_kit import USER_YAML, DirectoryRepo, run

CONFIG = "ldifctl.yaml"
PEOPLE_DN = "ou=people,dc=example,dc=net"
EDITED = (
    "ldifctl.yaml: warning [settings-source] this change edits ldifctl.yaml: its findings use "
    "the settings of the base revision (policies, mail, attributes, ignore_attributes, "
    "base_dn), so a change cannot relax the rules that judge it; the new settings apply once "
    "it is merged"
)
USER = "directory/dc=net/dc=example/ou=people/cn=user.example.yaml"
JOHN = "directory/dc=net/dc=example/ou=Mail/uid=johndoe.yaml"


def edit(repo: DirectoryRepo, relpath: str, old: str, new: str) -> None:
    path = repo.root / relpath
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def self_forward(repo: DirectoryRepo) -> None:
    edit(
        repo, USER, "mailForwardingAddress: new.address@domain.ro",
        "mailForwardingAddress: old.address@domain.com",
    )


def blind_the_alias_table(repo: DirectoryRepo) -> None:
    edit(repo, CONFIG, "(mailAlternateAddress=%s)", "(mailAlternateAddress=%s-x)")


def test_plan_says_the_change_edits_ldifctl_yaml_and_judges_with_the_base(
    tmp_path: Path,
) -> None:
    repo = example_repo(tmp_path)
    self_forward(repo)
    blind_the_alias_table(repo)
    code, _, err = run(repo, "plan")
    assert (code, EDITED in err.splitlines()) == (1, True), err
    assert "error [no-self-forward]" in err
    repo.commit("blind the alias table")
    code, _, err = run(repo, "plan", "--base", "HEAD~1", "--head", "HEAD")
    assert (code, EDITED in err.splitlines()) == (1, True), err
    assert "error [no-self-forward]" in err


def test_an_ignored_attribute_is_still_judged(tmp_path: Path) -> None:
    """`ignore_attributes: [mailForwardingAddress]` in the change hides no forward (a
    guard: ignored attributes are left out of the diff, never out of what rules see)."""
    repo = example_repo(tmp_path)
    self_forward(repo)
    edit(repo, CONFIG, "ignore_attributes: []", "ignore_attributes: [mailForwardingAddress]")
    code, _, err = run(repo, "plan")
    assert (code, "error [no-self-forward]" in err, EDITED in err) == (1, True, True), err


def test_an_equality_rule_of_the_change_does_not_judge_it(tmp_path: Path) -> None:
    """uid made case-exact in the same change: `JohnDoe` still collides with `johndoe`."""
    repo = example_repo(tmp_path)
    edit(repo, JOHN, "uid: johndoe", "uid: [johndoe, JANEDOE]")
    code, _, err = run(repo, "plan")
    assert (code, "error [unique-uid]" in err) == (1, True), err
    edit(repo, CONFIG, "ignore_attributes: []",
         "ignore_attributes: []\nattributes:\n  uid: {equality: caseExactMatch}")
    code, _, err = run(repo, "plan")
    assert (code, "error [unique-uid]" in err, EDITED in err) == (1, True, True), err


def test_a_change_cannot_widen_base_dn_for_itself(tmp_path: Path) -> None:
    """An entry outside the base's base_dn is an error though the change widens it."""
    repo = example_repo(tmp_path)
    edit(repo, CONFIG, "base_dn: dc=example,dc=net", "base_dn: dc=net")
    repo.write_raw("directory/dc=net.yaml", b"dn: dc=net\nobjectClass: [domain]\ndc: net\n")
    code, _, err = run(repo, "plan")
    assert (code, "error [structure/outside-base]" in err, EDITED in err) == (1, True, True)
    repo.commit("manage dc=net")
    assert run(repo, "plan", "--base", "HEAD")[0] == 0


def test_the_folder_of_entries_is_the_change_s_own(tmp_path: Path) -> None:
    """`directory:` says what is judged: the plan reads the change's folder."""
    repo = example_repo(tmp_path)
    repo.git("mv", "directory", "entries")
    edit(repo, CONFIG, "directory: directory", "directory: entries")
    code, out, err = run(repo, "plan")
    assert (code, err.splitlines()[0]) == (0, EDITED), err
    # The base had no entries there; its directory/ is no part of the change's state.
    assert (out.count("changetype: add"), "delete" in out) == (17, False)


def test_a_base_without_ldifctl_yaml_judges_with_the_change_s(tmp_path: Path) -> None:
    repo = example_repo(tmp_path)
    repo.git("rm", "-q", "--cached", CONFIG)
    repo.git("commit", "-q", "-m", "no settings yet")
    code, _, err = run(repo, "plan")
    assert (code, err) == (
        0, "ldifctl.yaml: warning [settings-source] HEAD:ldifctl.yaml does not exist: this "
        "change is judged with its own settings\nHEAD -> working tree: no changes\n",
    )


def test_a_base_whose_settings_do_not_load_lets_their_fix_pass(tmp_path: Path) -> None:
    """A base ldifctl.yaml this ldifctl refuses (an alias): its fix is judged by itself."""
    repo = example_repo(tmp_path)
    edit(repo, CONFIG, "directory: directory", "directory: &d directory\nx: *d")
    repo.commit("a broken setting")
    edit(repo, CONFIG, "directory: &d directory\nx: *d", "directory: directory")
    code, _, err = run(repo, "plan")
    assert code == 0, err
    assert err.startswith(
        "ldifctl.yaml: warning [settings-source] the base revision's settings do not load "
        "(HEAD:ldifctl.yaml:"
    ), err
    assert EDITED in err.splitlines()


def test_the_findings_cache_is_keyed_by_the_base_s_settings(tmp_path: Path) -> None:
    """Two bases with the same entries and policies but other settings: each plan of the
    same head gets its own verdict, whichever ran first."""
    repo = example_repo(tmp_path)
    strict = repo.git("rev-parse", "HEAD").strip()
    blind_the_alias_table(repo)
    blinded = repo.commit("blind the alias table")
    self_forward(repo)
    for base in (blinded, strict, blinded, strict):
        err = run(repo, "plan", "--base", base)[2]
        assert ("error [no-self-forward]" in err) == (base == strict), (base, err)


def test_a_new_equality_rule_plans_the_case_change_apply_sends(tmp_path: Path) -> None:
    """uid made case-exact in the change that capitalises one: a change now, as apply
    will compare it (with the base's caseIgnoreMatch it was none)."""
    repo = DirectoryRepo(tmp_path / "repo", f"base_dn: {PEOPLE_DN}\n")
    repo.write(PEOPLE_DN, f"dn: {PEOPLE_DN}\nobjectClass: organizationalUnit\nou: people\n")
    repo.write(USER_DN, USER_YAML + "uid: jdoe\n")
    base = repo.commit("base")
    config = repo.root / "ldifctl.yaml"
    config.write_text(config.read_text() + "attributes:\n  uid: {equality: caseExactMatch}\n")
    repo.write(USER_DN, USER_YAML + "uid: JDoe\n")
    repo.commit("case-exact uid")

    code, out, err = run(repo, "plan", "--base", base, "--head", "HEAD")
    assert code == 0, err
    assert out == (
        f"dn: {USER_DN}\nchangetype: modify\ndelete: uid\nuid: jdoe\n-\nadd: uid\nuid: JDoe\n-\n\n"
    )
    assert "(uid compare by the new attributes: rules)" in err
