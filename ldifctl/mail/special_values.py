"""special_result_attribute values followed as Postfix follows them (dict_ldap.c,
dict_ldap_get_values): a DN is read as a base search `(objectClass=*)`; an LDAP URL
(ldap_url.py) is searched with its base, scope and filter, on the same server whatever
its host, asking only for the table's result attributes it lists. Every entry found gives
its own values and is followed in turn, depth first, up to dict_ldap's recursion_limit
(special_walk.py).

A URL is untrusted input (a pull request writes it): its filter is held to the limits of
a query_filter (ldap_filter.py), each distinct value is searched once per table, the
state's URLs test MAX_SCANNED entries and read url_reads.MAX_READ bytes at most, and a
walk visits each (entry, attributes read) once and stops at special_walk.MAX_VALUES
results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ldifctl.mail import url_reads
from ldifctl.mail.ldap_filter import Filter, FilterError, parse
from ldifctl.mail.ldap_match import compile_filter
from ldifctl.mail.ldap_url import LdapUrl, UrlError, is_ldap_url, parse_url
from ldifctl.mail.settings import TableSpec
from ldifctl.mail.special_walk import CannotTell as CannotTell
from ldifctl.mail.special_walk import Format, Only, State, Walk
from ldifctl.mail.special_walk import LookupFailed as LookupFailed
from ldifctl.mail.tree import RANK, Node, Tree
from ldifctl.model import dn as dnmod
from ldifctl.model.schema import Schema, build_schema

MAX_URL = 4096  # characters; real dynamic-group URLs hold well under 200
# Entries tested against URL filters for one state, over all its tables (~10 s at worst):
# each distinct URL scans its scope, and a pull request may add 10k URLs over 100k entries.
MAX_SCANNED = 10_000_000
# What ldifctl's filter parser declines that a server evaluates (ldap_filter.py).
_DECLINED = ("not supported", "more than")
# libldap also takes RFC 1960's `\*`, `\(`, `\)` and `\\` escapes in a value.
_OLD_ESCAPE = re.compile(r"\\([0-9A-Fa-f]{2}|[*()\\])")


class OverBudget(CannotTell):
    """The state's URLs scan more entries than MAX_SCANNED, or their filters read more
    than url_reads.MAX_READ: the rest are not followed."""


@dataclass
class _Scanned:
    left: int = field(default_factory=lambda: MAX_SCANNED)
    read: int = field(default_factory=lambda: url_reads.MAX_READ)  # bytes


@dataclass
class References:
    """The entries a table's special values name, and its attributes, by kind (schema
    names): what each entry gives and which of its values are followed."""

    tree: Tree
    spec: TableSpec
    terminal: tuple[str, ...]
    special: tuple[str, ...]
    regular: tuple[str, ...]
    leafy: tuple[str, ...]
    _found: dict[str, list[State]] = field(default_factory=dict)

    def expand(self, start: Node, fmt: Format) -> tuple[str, ...]:
        """The entry's results and those of every entry it names, in dict_ldap's order."""
        return Walk(self, fmt).run(start)

    def own(self, node: Node, only: Only, fmt: Format) -> tuple[tuple[str, ...], list[bytes]]:
        """An entry's own results, and its special values (none for a terminal entry)."""
        terminal = _pick(node, self.terminal, only)
        if terminal:
            return fmt(terminal), []
        special = _pick(node, self.special, only)
        return fmt(_pick(node, self.regular if special else self.leafy, only)), special

    def follow(self, value: bytes) -> list[State]:
        """The entries a special value names, ranked, with the attributes read from them."""
        text = value.decode("utf-8", "replace")
        found = self._found.get(text)
        if found is None:
            found = self._found[text] = self._search(text)
        return found

    def _search(self, text: str) -> list[State]:
        if not is_ldap_url(text):
            node = self.tree.by_key.get(self._dn_key(text))
            return [(node, None)] if node is not None else []  # noSuchObject: skipped
        if len(text) > MAX_URL:
            raise self.fail(CannotTell, f"an LDAP URL of more than {MAX_URL} characters")
        try:
            url = parse_url(text)
        except UrlError as err:
            raise self.fail(LookupFailed, f"value is a malformed URL, {text}: {err}") from None
        only = self.requested(url.attrs)
        if only is not None and not only:
            return []  # Postfix skips a URL that lists none of the table's attributes
        wanted = self.parsed(url.filter)
        base = self._dn_key(url.dn) if url.dn else ()
        if not base:
            return self._no_base(text, url, only)
        scope = "sub" if url.scope == "subordinate" else url.scope
        within = self.tree.scope(base, scope)
        scanned = self.tree.derived(_Scanned, _Scanned)
        scanned.left -= len(within)
        scanned.read -= url_reads.read(self.tree, wanted, base, scope)  # before they are read
        if scanned.left < 0 or scanned.read < 0:
            over = (f"search more than {MAX_SCANNED:,} entries" if scanned.left < 0 else
                    f"read more than {url_reads.MAX_READ:,} bytes of values")
            raise self.fail(OverBudget, f"{text}: with it, the LDAP URLs of this state {over} "
                            "in all")
        test = compile_filter(wanted, self.tree.schema) if wanted else lambda view, subst: True
        nodes = [n for n in within if test(n.view, {})]
        if url.scope == "subordinate":
            nodes = [n for n in nodes if n.key != base]
        return [(n, only) for n in sorted(nodes, key=RANK)]

    def _no_base(self, text: str, url: LdapUrl, only: Only) -> list[State]:
        """A URL that searches from no base (measured with Postfix 3.7, slapd 2.5 and
        389-DS: tests/mail/test_postfix_special_urls.py). A base search of the empty DN
        reads the root DSE on every server, and Postfix reads from it none of the table's
        attributes unless the root DSE may hold one (root_dse_may_hold). The rest is the
        server's or the Postfix host's to say, not the repo's: a one, sub or children
        search from the empty DN is noSuchObject on slapd (Postfix skips the value) unless
        its olcDefaultSearchBase stands in for the base, or its default referral comes
        back (Postfix defers the mail), and 389-DS searches every suffix it holds; with no
        DN part at all (`ldap://host`) libldap searches its default base, BASE in
        ldap.conf on the Postfix host."""
        if url.dn is None:
            raise self.fail(CannotTell, f"{text}, which names no search base: libldap "
                            "searches its default one (BASE in ldap.conf on the Postfix host)")
        if url.scope != "base":
            raise self.fail(CannotTell, f"{text}, a {url.scope} search from the empty base: "
                            "the server's settings say what it reaches")
        names = (*self.terminal, *self.special, *self.regular, *self.leafy)
        read = names if only is None else sorted(only)
        held = [n for n in read if root_dse_may_hold(self.tree.schema, n)]
        if held:
            raise self.fail(CannotTell, f"{text}: it reads the root DSE, which may hold {held[0]}")
        return []  # the root DSE holds none of the attributes read

    def requested(self, attrs: tuple[str, ...]) -> Only:
        """url_attrs: the table's attributes the URL lists, compared as written."""
        if not attrs:
            return None
        spec = self.spec
        mine = (
            *spec.terminal_result_attributes,
            *spec.leaf_result_attributes,
            *spec.result_attributes,
            *spec.special_result_attributes,
        )
        chosen = set()
        for asked in attrs:
            for name in mine:
                if asked.lower() == name.lower():
                    chosen.add(self.tree.schema.attribute(name).name)
                elif asked.split(";")[0].lower() == name.split(";")[0].lower():
                    # `mail;lang-de`: the server sends only those values, which ldifctl
                    # reads together with all the others.
                    raise self.fail(CannotTell, f"the attribute option in {asked!r}")
        return frozenset(chosen)

    def parsed(self, text: str | None) -> Filter | None:
        """The URL's filter, parsed within a query_filter's limits (None: every entry)."""
        if text is None:
            return None
        try:
            return parse(_OLD_ESCAPE.sub(_new_escape, text))
        except FilterError as err:
            if any(word in str(err) for word in _DECLINED):
                raise self.fail(CannotTell, f"the filter {text}: {err}") from None
            raise self.fail(LookupFailed, f"value has a bad search filter, {text}: {err}") from None

    def _dn_key(self, text: str) -> dnmod.DnKey:
        try:
            return self.tree.schema.dn_key(text)
        except dnmod.DnError:
            raise self.fail(LookupFailed, f"value has an invalid DN, {text}") from None

    def fail(self, kind: type[LookupFailed], problem: str) -> LookupFailed:
        where = f"{self.spec.name}: special_result_attribute"
        if issubclass(kind, CannotTell):
            return kind(f"{where}: ldifctl cannot tell what Postfix does with {problem}")
        return kind(f"{where} {problem}")


def root_dse_may_hold(schema: Schema, name: str) -> bool:
    """The root DSE holds objectClass and the server's own operational attributes
    (namingContexts, supportedControl, ...): no user attribute of ldifctl's built-in
    schema (held to slapd's and 389-DS's by the tests), but any that ldifctl.yaml
    declares may be one. What slapd's olcRootDSE adds by hand is the operator's to know,
    as its ACLs are."""
    builtin = _builtin()
    return schema.type_key(name) == "objectclass" or schema.is_ignored(name) or not (
        builtin.knows(name)
    )


@lru_cache(maxsize=1)
def _builtin() -> Schema:
    return build_schema()


def _pick(node: Node, names: tuple[str, ...], only: Only) -> list[bytes]:
    return [
        v for name in names if only is None or name in only for v in sorted(node.view.get(name, ()))
    ]


def _new_escape(match: re.Match[str]) -> str:
    found = match[1]
    return f"\\{found}" if len(found) == 2 else f"\\{ord(found):02x}"
