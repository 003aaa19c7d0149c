"""Files for one DN are found by file name alone, the bulk way and the plain way alike."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ldifctl.repo.tree_index import _Folder, loose_key

# Short names over the characters that matter: case, escapes, spaces, quotes, ß (folds to ss).
NAME = st.builds(
    lambda text, ext: f"cn={text}{ext}",
    st.text(alphabet=st.sampled_from(list('aAbBß %2C5c\\" ')), min_size=1, max_size=6),
    st.sampled_from([".yaml", ".yaml", ".yml"]),
)


@given(st.lists(NAME, unique=True, max_size=12), NAME)
def test_alike_finds_every_name_with_the_same_loose_key(names: list[str], probe: str) -> None:
    folder = _Folder(names)
    for name in [*names, probe]:
        expected = {o for o in names if o.endswith(".yaml") and loose_key(o) == loose_key(name)}
        found = folder.alike(name)
        assert sorted(found) == sorted(expected)


def test_case_twins_and_escaped_twins_are_found() -> None:
    folder = _Folder(["uid=a.yaml", "uid=A.yaml", "cn=x%2Cy.yaml", "cn=X\\,Y.yaml", "ou=b.yaml"])
    assert sorted(folder.alike("UID=a.yaml")) == ["uid=A.yaml", "uid=a.yaml"]
    assert sorted(folder.alike("cn=x\\2cy.yaml")) == ["cn=X\\,Y.yaml", "cn=x%2Cy.yaml"]
    assert folder.alike("ou=B.yaml") == ["ou=b.yaml"]
    assert folder.alike("ou=c.yaml") == []
