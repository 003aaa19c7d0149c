"""Files for one DN are found by file name alone, the bulk way and the plain way alike."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from ldifctl.repo.entry_names import hidden_name
from ldifctl.repo.readers import FolderReader
from ldifctl.repo.tree_index import SEARCHES, _Folder, loose_key

# Short names over the characters that matter: case, escapes, spaces, quotes, ß (folds to ss).
NAME = st.builds(
    lambda text, ext: f"cn={text}{ext}",
    st.text(alphabet=st.sampled_from(list('aAbBß %2C5c\\" ')), min_size=1, max_size=6),
    st.sampled_from([".yaml", ".yaml", ".yml"]),
)


@given(st.lists(NAME, unique=True, max_size=12), NAME)
def test_alike_finds_every_name_with_the_same_loose_key(names: list[str], probe: str) -> None:
    searched, tabled = _Folder(names), _Folder(names)
    for _ in range(SEARCHES):  # past this many questions, it answers from a table
        tabled.alike(probe)
    for name in [*names, probe]:
        expected = {o for o in names if o.endswith(".yaml") and loose_key(o) == loose_key(name)}
        assert sorted(searched.alike(name)) == sorted(expected)
        assert sorted(tabled.alike(name)) == sorted(expected)


def test_case_twins_and_escaped_twins_are_found() -> None:
    folder = _Folder(["uid=a.yaml", "uid=A.yaml", "cn=x%2Cy.yaml", "cn=X\\,Y.yaml", "ou=b.yaml"])
    assert sorted(folder.alike("UID=a.yaml")) == ["uid=A.yaml", "uid=a.yaml"]
    assert sorted(folder.alike("cn=x\\2cy.yaml")) == ["cn=X\\,Y.yaml", "cn=x%2Cy.yaml"]
    assert folder.alike("ou=B.yaml") == ["ou=b.yaml"]
    assert folder.alike("ou=c.yaml") == []


def test_a_name_inside_another_name_is_not_found() -> None:
    folder = _Folder(["cn=xcn=a.yaml", "cn=a.yaml.yaml", "cn=A.yaml", "cn=a.YAML", "cn=b.yaml"])
    assert folder.alike("cn=a.yaml") == ["cn=A.yaml"]
    assert folder.alike("cn=B.yaml") == ["cn=b.yaml"]


def test_names_that_fold_longer_are_found_all_the_same() -> None:
    folder = _Folder(["cn=straße.yaml", "cn=STRASSE.yaml", "cn=x.yaml"])  # ß folds to ss
    assert sorted(folder.alike("cn=strasse.yaml")) == ["cn=STRASSE.yaml", "cn=straße.yaml"]
    assert folder.alike("cn=X.yaml") == ["cn=x.yaml"]


# Names over what makes a file hidden: dot files, backups, auto-saves, swap files.
LISTED = st.lists(st.sampled_from(["a", ".", "~", "#", ".sw", "p", ".yaml"]), min_size=1,
                  max_size=5).map("".join).filter(lambda n: n not in (".", ".."))


@given(st.lists(LISTED, unique=True, max_size=8))
def test_a_folder_lists_exactly_the_names_that_are_not_hidden(names: list[str]) -> None:
    with tempfile.TemporaryDirectory() as root:
        for name in names:
            Path(root, name).write_text("x")
        listed = FolderReader(Path(root), "directory").names_in("")
    assert sorted(listed) == sorted(n for n in names if not hidden_name(n))
