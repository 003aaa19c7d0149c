"""`MapIndex` (mail/columns/map_index.py) answers as the address index made of the same
address map (`address_index`, the one `plan` keeps), question by question, on random
states: with and without a recipient_delimiter, catch-alls and odd values included."""

from __future__ import annotations

from hypothesis import given, reject, settings
from hypothesis import strategies as st
from mail_kit import mail_with
from test_address_map import PERSON, TABLES, People, state

from ldifctl.mail.columns.address_index import Owned
from ldifctl.mail.columns.address_map import AddressMap
from ldifctl.mail.columns.index_build import address_index
from ldifctl.mail.columns.map_index import MapIndex
from ldifctl.mail.routing import Router
from ldifctl.model.errors import LdifctlError
from ldifctl.repo.settings.mail import parse_mail
from ldifctl.repo.yamlio.document import load_document

WITH_DELIMITER = parse_mail(
    load_document(mail_with(recipient_delimiter="+").encode(), "ldifctl.yaml").child("mail")
)


def without_empty(owned: Owned) -> Owned:
    """An entry's addresses but the empty key (`mail:` with an empty value): the index's
    packed row cannot hold it alone (`("",)` packs as no key), and for the routing near a
    change an extra address only widens the entries read, never the answer."""
    return tuple(a for a in owned[0] if a), tuple(a for a in owned[1] if a)


@settings(max_examples=150, deadline=None)
@given(st.lists(PERSON, max_size=7), st.booleans())
def test_the_map_index_answers_as_the_address_index(people: People, delimiter: bool) -> None:
    snapshot = state(people)
    amap = AddressMap(Router(snapshot, WITH_DELIMITER if delimiter else TABLES))
    dns = [entry.dn for entry in snapshot]
    try:
        index = address_index(dns, amap, lambda node: node.entry.dn)
    except LdifctlError as refused:
        # A catch-all feeding its own longer addresses back: the checks refuse such a
        # state before any routing is asked of an index (test_attack_mail_templates.py).
        assert "routes its mail back into itself" in str(refused)
        reject()
    mine = MapIndex(amap)
    assert (mine.hosting, mine.local, mine.routed) == (index.hosting, index.local, index.routed)
    claims = [*amap.alias_claims.keys, *amap.mailbox_claims.keys]
    targets = list(amap.alias_claims.all_targets)
    probes = {*claims, *targets, *mine.sent_to(targets), "a+x@x.net", "zz@x.net", "x.net"}
    for address in sorted(probes):
        assert mine.claimed_by(address) == index.claimed_by(address), address
        assert mine.forwarding_to(address) == index.forwarding_to(address), address
    for dn in [*dns, "cn=nobody,dc=example,dc=net"]:
        assert without_empty(mine.addresses_of(dn)) == without_empty(index.addresses_of(dn)), dn
    assert mine.sent_to(probes) == index.sent_to(probes)
    domains = {a.rpartition("@")[2] for a in probes}
    for chosen in ({"x.net"}, {"y.org", "nodomain"}, domains):
        assert mine.in_domains(chosen) == index.in_domains(chosen), chosen
