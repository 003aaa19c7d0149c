"""The column-wise answers the entry rules ask (mail/columns/attributes.py) are what judging
entry by entry gives, on random directories: classes in any case, subclasses, attribute
names spelled otherwise (`MAIL`, an option), entries with and without the attribute."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ldifctl.mail.columns.attributes import holding, lacking
from ldifctl.mail.tree import Node, Tree
from ldifctl.model.schema import build_schema, closure
from ldifctl.model.snapshot import Entry, Snapshot

SCHEMA = build_schema()
CLASSES = st.lists(
    st.sampled_from(
        ["inetOrgPerson", "person", "PostfixBookMailAccount", "postfixbookmailaccount",
         "mailRecipient", "organizationalUnit"]
    ),
    min_size=1,
    max_size=3,
    unique=True,
)
NAMES = st.sampled_from(["mail", "MAIL", "mail;lang-de", "mailAlias", "cn", "sn", "uid"])
ENTRY = st.tuples(CLASSES, st.lists(NAMES, max_size=4, unique=True))
NEEDS = {
    "person": ("sn", "cn"),
    "PostfixBookMailAccount": ("mail",),
    "inetorgperson": ("mailAlias", "uid"),
}


def tree(entries: list[tuple[list[str], list[str]]]) -> Tree:
    snapshot = Snapshot("random", SCHEMA)
    for i, (classes, names) in enumerate(entries):
        attrs = {n: (b"x",) for n in names}
        classes_ = tuple(c.encode() for c in classes)
        snapshot.add(Entry(f"cn=e{i},dc=x", {"objectClass": classes_, **attrs}))
    return Tree(snapshot)


def holds(node: Node, name: str) -> bool:
    """Entry by entry: some attribute of the entry is of type `name`."""
    return any(SCHEMA.type_key(n) == SCHEMA.type_key(name) for n in node.entry.attrs)


@settings(max_examples=200, deadline=None)
@given(st.lists(ENTRY, max_size=8), NAMES)
def test_holding_is_every_entry_that_holds_the_type(
    entries: list[tuple[list[str], list[str]]], name: str
) -> None:
    found = tree(entries)
    canonical = SCHEMA.attribute(name).name
    assert holding(found, canonical) == [n for n in found.nodes if holds(n, name)]


@settings(max_examples=200, deadline=None)
@given(st.lists(ENTRY, max_size=8))
def test_lacking_is_what_each_entry_lacks(entries: list[tuple[list[str], list[str]]]) -> None:
    found = tree(entries)
    by_entry = {
        (cls, name, id(node))
        for node in found.nodes
        for cls, names in NEEDS.items()
        if cls.lower() in closure(node.entry.get("objectClass"), SCHEMA)
        for name in names
        if not holds(node, name)
    }
    answer = [(cls, name, id(node)) for cls, name, node in lacking(found, NEEDS)]
    assert len(answer) == len(set(answer))
    assert set(answer) == {(c, SCHEMA.attribute(n).name, i) for c, n, i in by_entry}


@settings(max_examples=100, deadline=None)
@given(st.lists(ENTRY, min_size=1, max_size=8))
def test_a_tree_that_forgot_what_it_read_answers_the_same(
    entries: list[tuple[list[str], list[str]]],
) -> None:
    """`forget` lets go of every column, text and scope read for the rules (their memory
    is the point, mail/tree.py); asked again, the tree reads the same."""
    found = tree(entries)
    base = SCHEMA.dn_key("dc=x")

    def answers() -> tuple[object, ...]:
        texts = found.derived(("text", "mail"), lambda: "|".join(map(repr, found.column("mail"))))
        return (
            found.column("mail"), found.kinds("objectClass"), texts,
            found.scope(base, "one"), found.scope(base, "sub"), found.node("cn=e0,dc=x"),
        )

    before = answers()
    found.forget()
    assert not (found._columns or found._derived or found._kinds or found._scopes)
    assert not (found._scoped or found._tails or "by_key" in found.__dict__)
    assert answers() == before


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["ou=a,dc=x", "ou=b,dc=x", "ou=c,ou=a,dc=x"]), max_size=12))
def test_subtree_scopes_read_one_shared_tail_per_base(parents: list[str]) -> None:
    """The keys' tails below a depth are kept once per distinct tail (their memory is the
    point); a subtree scope is still each entry's own answer."""
    snapshot = Snapshot("random", SCHEMA)
    for dn in ["dc=x", "ou=a,dc=x", "ou=b,dc=x", "ou=c,ou=a,dc=x"]:
        snapshot.add(Entry(dn, {"objectClass": (b"top",)}))
    for i, parent in enumerate(parents):
        snapshot.add(Entry(f"cn=e{i},{parent}", {"objectClass": (b"top",)}))
    found = Tree(snapshot)
    for base_dn in ["ou=a,dc=x", "ou=b,dc=x"]:
        base = SCHEMA.dn_key(base_dn)
        inside = [node for node in found.nodes if Tree.in_scope(node, base, "sub")]
        assert found.scope(base, "sub") == inside
    tails = found._tails[2]
    assert len({id(t) for t in tails}) == len(set(tails))  # equal tails: one object
