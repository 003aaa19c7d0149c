"""Key values Postfix can never look up: it case-folds the address before it asks the
table (`straße@x` is asked as `strasse@x`), and the server compares under the attribute's
equality rule, which lowers letters but never folds them. A value whose folded spelling
the rule does not hold equal to it is found by no address: a warning of `address-syntax`,
at the value, saying what to store instead. Where only slapd holds them equal (`ﬁ` and
`fi`, the Kelvin sign and `k`, `ǅ` and `ǆ`: model/server_rules.py), the warning says
that slapd finds it by the folded key and 389-DS does not.

Only values that are not ASCII can be such (ASCII folds to its lower case, which every
rule ldifctl models ignores): a column of ASCII text is passed over whole.
"""

from __future__ import annotations

from ldifctl.mail.addresses import fold
from ldifctl.mail.columns.claims import searched
from ldifctl.mail.columns.text import column_text
from ldifctl.mail.routing import Router
from ldifctl.model.errors import MAX_QUOTED, quoted
from ldifctl.model.findings import Finding
from ldifctl.model.server_rules import MAX_KEY_BYTES, per_server
from ldifctl.policy.files import RuleSetting


def unfoldable(router: Router, setting: RuleSetting) -> list[Finding]:
    """A warning for each key value of the alias and mailbox tables that folding changes
    beyond what its equality rule ignores, on the entries the table searches."""
    tree, out = router.tree, set[Finding]()
    for table in router.mailbox_tables + router.alias_tables:
        for atom in table.atoms or ():
            name = tree.schema.attribute(atom.attr).name
            if column_text(tree, name).lines is not None:
                continue  # ASCII only (and no newline): folding is lower-casing
            norm = tree.schema.normaliser(name)
            slapd = (per_server(tree.schema.attribute(name).equality) or (norm,))[0]
            for node in searched(table):
                for value in node.view.get(name, ()):
                    if value.isascii():
                        continue
                    text = value.decode("utf-8", "replace")
                    folded = fold(text)
                    if norm(folded.encode()) != norm(value):
                        # Too long to be an address: never normalised by slapd's rule.
                        by_slapd = len(value) <= MAX_KEY_BYTES and (
                            slapd(folded.encode()) == slapd(value)
                        )
                        out.add(_finding(setting, node.entry.where(name), node.entry.dn,
                                         name, text, folded, by_slapd))
    return sorted(out)


def _finding(
    setting: RuleSetting, where: str, dn: str, name: str, text: str, folded: str,
    by_slapd: bool,
) -> Finding:
    asked = (
        "Postfix case-folds the address it asks for (SMTPUTF8), so mail to "
        f"{text[:MAX_QUOTED]} looks up {quoted(folded)}"
    )
    if by_slapd:
        message = (
            f"{name} {quoted(text)} is looked up on one server only: {asked}; slapd finds it by "
            f"the folded key, 389-DS does not; store the folded spelling {quoted(folded)} instead"
        )
    else:
        message = (
            f"{name} {quoted(text)} is never looked up: {asked}, which the server does not hold "
            f"equal to this value, and finds nothing here; store the folded spelling "
            f"{quoted(folded)} instead"
        )
    return Finding(where, setting.id, "warning", dn, message)
