"""The bulk view the policies use (AddressMap) gives what Postfix's lookups give, key by key,
on random directories: shared keys, a key held twice by one entry, case, commas, spaces,
non-ASCII and newlines in values, catch-alls, entries outside the tables' base. The rules,
which judge all claims at once in C, find what judging them one by one finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from mail_kit import MAIL

from ldifctl.mail.address_syntax import address_problem
from ldifctl.mail.addresses import split_targets
from ldifctl.mail.columns.address_map import AddressMap, Claim, ClaimSet
from ldifctl.mail.routing import Router
from ldifctl.mail.templates import parts_of
from ldifctl.model.schema import build_schema
from ldifctl.model.snapshot import Entry, Snapshot
from ldifctl.policy.engine import check
from ldifctl.policy.files import BUILTIN, load_policies
from ldifctl.repo.settings.mail import parse_mail
from ldifctl.repo.yamlio.document import load_document

SCHEMA = build_schema()
People = list[tuple[str, list[str], dict[str, list[str]]]]
TABLES = parse_mail(load_document(MAIL.encode(), "ldifctl.yaml").child("mail"))
VALUES = [
    "a@x.net",
    "A@x.net",
    "b@x.net",
    "a@y.org",
    "@x.net",
    "b@x.net, a@y.org",
    " c@x.net",
    "é@x.net",
    "É@X.NET",
    "d\n@x.net",
    "a@x.net\nb@x.net",
    "",
    "nodomain",
]
ADDRESSES = st.lists(st.sampled_from(VALUES), unique=True, max_size=3)
CLASSES = st.sampled_from(
    [
        ["inetOrgPerson", "mailRecipient", "PostfixBookMailAccount"],
        ["inetOrgPerson", "mailRecipient"],
        ["person", "PostfixBookMailAccount"],
    ]
)
BASES = st.sampled_from(["ou=people,dc=example,dc=net", "ou=other,dc=example,dc=net"])
PERSON = st.tuples(
    BASES,
    CLASSES,
    st.fixed_dictionaries(
        {},
        optional={
            "mail": ADDRESSES,
            "mailAlias": ADDRESSES,
            "mailAlternateAddress": ADDRESSES,
            "mailForwardingAddress": ADDRESSES,
        },
    ),
)


def state(people: People) -> Snapshot:
    snapshot = Snapshot("random", SCHEMA)
    fixed = [
        ("dc=example,dc=net", {"objectClass": ["domain"], "dc": ["example"]}),
        ("ou=people,dc=example,dc=net", {"objectClass": ["organizationalUnit"], "ou": ["people"]}),
        ("ou=Domains,dc=example,dc=net", {"objectClass": ["organizationalUnit"], "ou": ["x"]}),
        ("dc=x.net,ou=Domains,dc=example,dc=net", {"objectClass": ["dNSDomain"], "dc": ["x.net"]}),
    ]
    # Added last to first: the order a snapshot holds is not the server's order.
    for i, (base, classes, attrs) in reversed(list(enumerate(people))):
        fixed.append((f"cn=p{i},{base}", {"objectClass": classes, "cn": [f"p{i}"], **attrs}))
    for dn, attrs in fixed:
        snapshot.add(Entry(dn, {k: tuple(v.encode() for v in vs) for k, vs in attrs.items() if vs}))
    return snapshot


def lookup(router: Router, alias: bool, key: str) -> tuple[list[tuple[str, str]], tuple[str, ...]]:
    """The (table, DN) of each entry a lookup of `key` finds, in Postfix's order, and the
    answer: the first table with a result."""
    tables = router.alias_tables if alias else router.mailbox_tables
    hits = [(t.spec.name, h.node.entry.dn) for t in tables for h in t.lookup(key)]
    answer = next((r for t in tables if (r := t.result(key))), ())
    return hits, split_targets(",".join(answer).lower())


@settings(max_examples=150, deadline=None)
@given(st.lists(PERSON, max_size=7))
def test_the_address_map_agrees_with_lookups_key_by_key(
    people: People,
) -> None:
    router = Router(state(people), TABLES)
    amap = AddressMap(router)
    assert amap.hosted == {"x.net"}
    probes = {v.lower() for v in VALUES} | {"@y.org", "zz@x.net"}
    for alias, claims, answers in (
        (True, amap.alias_claims, amap.aliases),
        (False, amap.mailbox_claims, dict.fromkeys(amap.mailboxes, ("",))),
    ):
        for key in probes | claims.first.keys():
            hits, answer = lookup(router, alias, key)
            found = [(c.table.spec.name, c.node.entry.dn) for c in claims.claims(key)]
            assert found == hits, key
            if alias:
                assert answers.get(key, ()) == answer, key
            else:
                assert (key in answers) == bool(answer), key


def only(snapshot: Snapshot, rule: str) -> list[tuple[str, str]]:
    """(DN, file:line) of what `rule` alone finds."""
    text = "rules:\n" + "".join(f"  {r}: off\n" for r in BUILTIN if r != rule)
    policies = load_policies([("p.yaml", text.encode())])
    return [(f.dn, f.where) for f in check(snapshot, TABLES, policies)]


def claims(found: ClaimSet) -> list[Claim]:
    return [found.claim(i) for i in range(len(found.keys))]


def at(claim: Claim, attribute: str) -> tuple[str, str]:
    return (claim.node.entry.dn, claim.node.entry.where(attribute))


@settings(max_examples=100, deadline=None)
@given(st.lists(PERSON, max_size=7))
def test_the_routing_rules_find_what_claim_by_claim_finds(people: People) -> None:
    snapshot = state(people)
    amap = AddressMap(Router(snapshot, TABLES))
    aliases, mailboxes = claims(amap.alias_claims), claims(amap.mailbox_claims)

    def result(c: Claim) -> tuple[str, str]:
        return at(c, c.table.result_attribute(c.node))

    foreign = [at(c, c.attribute) for c in aliases + mailboxes if _foreign(amap, c.address)]
    assert sorted(set(only(snapshot, "hosted-domain"))) == sorted(set(foreign))
    looping = [
        result(c)
        for c in aliases
        for t in c.targets
        if any(o.node is c.node for o in aliases if o.address == t)
        and not any(o.node is c.node for o in mailboxes if o.address == t)
    ]
    assert sorted(set(only(snapshot, "no-self-forward"))) == sorted(set(looping))
    dangling = [
        result(c)
        for c in aliases
        for t in c.targets
        if _dangles(amap, _reached(c, t))
        and not any(o.node is c.node for o in aliases if o.address == t)
    ]
    assert sorted(set(only(snapshot, "dangling-forward"))) == sorted(set(dangling))


def _reached(claim: Claim, target: str) -> str:
    """Where mail to the claim's address goes through `target`: `@other` alone keeps the
    user (a catch-all key has none: it reaches no one address)."""
    if not target.startswith("@"):
        return target
    user = parts_of(claim.address)[0]
    return user + target if user and len(claim.targets) == 1 else ""


def _foreign(amap: AddressMap, address: str) -> bool:
    domain = parts_of(address)[1]
    return bool(domain) and domain not in amap.hosted


def _dangles(amap: AddressMap, target: str) -> bool:
    domain = parts_of(target)[1]
    if domain is None or domain not in amap.hosted:
        return False
    expansion = amap.expansion(target)
    return (expansion is None or target in expansion) and not amap.is_mailbox(target)


# Where the tables read each attribute (MAIL): below ou=people, on entries of the class
# the filter names ("": any), as a key or as a result (parsed as an address list).
READ_ON = [
    ("mail", "inetorgperson", False),
    ("mail", "postfixbookmailaccount", True),
    ("mailAlias", "postfixbookmailaccount", False),
    ("mailAlternateAddress", "", False),
    ("mailForwardingAddress", "", True),
]


@settings(max_examples=100, deadline=None)
@given(st.lists(PERSON, max_size=7))
def test_address_syntax_finds_what_value_by_value_finds(people: People) -> None:
    snapshot = state(people)
    bad = [
        (entry.dn, entry.where(name))
        for entry in snapshot
        if entry.dn.endswith(",ou=people,dc=example,dc=net")
        for name, cls, result in READ_ON
        if cls in {c.decode().lower() for c in entry.attrs["objectClass"]} | {""}
        for value in entry.attrs.get(name, ())
        if _not_an_address(value.decode(), result)
    ]
    assert sorted(set(only(snapshot, "address-syntax"))) == sorted(set(bad))


def _not_an_address(text: str, result: bool) -> bool:
    if not result or "\n" in text:
        return bool(address_problem(text, catch_all_allowed=True))
    targets = split_targets(text)
    return not targets or any(address_problem(t, catch_all_allowed=True) for t in targets)


def test_a_value_holding_a_newline_is_no_address_even_if_each_line_is() -> None:
    person = ("ou=people,dc=example,dc=net", ["inetOrgPerson", "mailRecipient"])
    snapshot = state(
        [(*person, {"mail": ["a@x.net"], "mailForwardingAddress": ["a@x.net\nb@x.net"]})]
    )
    assert only(snapshot, "address-syntax") == [
        ("cn=p0,ou=people,dc=example,dc=net", "cn=p0,ou=people,dc=example,dc=net")
    ]


@settings(max_examples=50, deadline=None)
@given(st.lists(PERSON, max_size=7))
def test_attribute_names_spelled_otherwise_route_the_same(people: People) -> None:
    """A server or an LDIF file may spell names its own way (`MAILALIAS`); a snapshot
    from the cache notes its names only when asked."""
    canonical = state(people)
    shouted = Snapshot("shouted", SCHEMA)
    for entry in canonical:
        shouted.add(Entry(entry.dn, {k.upper(): v for k, v in entry.attrs.items()}))
    keyed = Snapshot.keyed("keyed", SCHEMA, shouted.items())

    def routed(snapshot: Snapshot) -> tuple[object, ...]:
        amap = AddressMap(Router(snapshot, TABLES))
        return amap.aliases, amap.mailboxes, amap.hosted

    assert routed(shouted) == routed(keyed) == routed(canonical)
    assert routed(canonical)[2] == {"x.net"}
