"""What apply refuses: always a write outside base_dn or of a secret; a plan that deletes or
rewrites too much, or touches a protected entry, unless --force (DESIGN §5)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ldifctl.model import dn as dnmod
from ldifctl.model.changes import Add, Change, Delete, Modify, ModRdn
from ldifctl.model.errors import LdifctlError
from ldifctl.model.schema import Schema, is_secret
from ldifctl.repo.settings.apply import ApplySettings

MAX_LISTED = 50


class Scope:
    """The managed subtrees; every DN an operation names is checked before it is sent."""

    def __init__(self, base_dns: Iterable[str], schema: Schema) -> None:
        self.schema = schema
        self.bases = [schema.dn_key(b) for b in base_dns]

    def require(self, change: Change) -> None:
        for dn in touched_dns(change):
            if not any(dnmod.is_within(self.schema.dn_key(dn), b) for b in self.bases):
                raise LdifctlError(
                    f"refusing to write {dn}: it is outside base_dn; nothing outside the "
                    "managed subtrees is ever written"
                )


def touched_dns(change: Change) -> tuple[str, ...]:
    return (change.dn, change.new_dn) if isinstance(change, ModRdn) else (change.dn,)


def refuse_secrets(changes: Iterable[Change], schema: Schema) -> None:
    """userPassword never travels from git to the server: a hash in git is a leak already.
    Judged by type, as the server stores it: with an option, or written as its OID."""
    for change in changes:
        if secret := _secret(_written_attributes(change), schema):
            what, fix = secret, f"remove {secret} from the entry file"
        elif secret := _secret(_named_by(change), schema):
            # The server adds an RDN's value to the entry: `userPassword=x` writes x.
            what = f"{schema.attribute(secret).name} through the entry's DN"
            fix = f"name {touched_dns(change)[-1]} by another attribute"
        else:
            continue
        raise LdifctlError(
            f"{change.dn}: the plan would write {what}, which ldifctl never writes "
            f"(secrets stay out of git): {fix}"
        )


def _secret(names: Iterable[str], schema: Schema) -> str | None:
    return next((n for n in names if is_secret(n, schema)), None)


def _written_attributes(change: Change) -> list[str]:
    if isinstance(change, Add):
        return [name for name, _ in change.attrs]
    return [m.attr for m in change.mods] if isinstance(change, Modify) else []


def _named_by(change: Change) -> list[str]:
    """The attribute types of the RDN a change gives an entry."""
    if not isinstance(change, Add | ModRdn):
        return []
    return [attr for attr, _ in dnmod.rdn_values(touched_dns(change)[-1])]


def refusals(
    changes: Sequence[Change],
    existing: Sequence[dnmod.DnKey],
    settings: ApplySettings,
    protected: Iterable[str],
    schema: Schema,
) -> list[str]:
    """Why the plan needs --force; [] when it does not."""
    deleted, updated = _counts(changes, existing, schema)
    found = []
    if existing and len(deleted) == len(existing):
        # However small the directory: an empty source is a mistake far more often than not.
        found.append(f"Every managed entry would be deleted ({len(existing)}): rerun with --force")
    if len(existing) >= settings.min_existing:
        found += _share("deletes", len(deleted), len(existing), settings.max_delete_percent)
        found += _share("updates", len(updated), len(existing), settings.max_update_percent)
    return found + _protected(changes, protected, schema)


def _share(what: str, count: int, total: int, limit: float) -> list[str]:
    percent = 100.0 * count / total if total else 0.0
    if percent <= limit:
        return []
    return [
        f"Too many {what}, {percent:.2f}% is over {limit:.2f}% ({count}/{total}): "
        "rerun with --force"
    ]


def _counts(
    changes: Sequence[Change], existing: Sequence[dnmod.DnKey], schema: Schema
) -> tuple[set[dnmod.DnKey], set[dnmod.DnKey]]:
    """Managed entries the plan deletes, and those it changes (a renamed subtree moves all)."""
    added = {schema.dn_key(c.dn) for c in changes if isinstance(c, Add)}
    renamed = {schema.dn_key(c.dn) for c in changes if isinstance(c, ModRdn)}
    known = set(existing)
    deleted = {k for c in changes if isinstance(c, Delete) and (k := schema.dn_key(c.dn))}
    updated = {k for k in deleted & added} | {
        k for c in changes if isinstance(c, Modify) and (k := schema.dn_key(c.dn)) in known
    }
    updated |= {k for k in existing if any(k[i:] in renamed for i in range(len(k)))}
    return deleted - added, updated


def _protected(changes: Sequence[Change], protected: Iterable[str], schema: Schema) -> list[str]:
    """Each change looked up among the protected entries, and a rename among the
    subtrees holding one: linear in both, however long `apply.protected` grows. Past
    MAX_LISTED messages, a count of the rest: each is a line of the CI log."""
    keys: dict[dnmod.DnKey, str] = {}
    under: dict[dnmod.DnKey, list[str]] = {}  # a subtree: the protected entries in it
    for pdn in protected:
        key = schema.dn_key(pdn)
        if key not in keys:
            keys[key] = pdn
            for i in range(len(key)):
                under.setdefault(key[i:], []).append(pdn)
    found: dict[str, None] = {}
    for change in changes:
        key = schema.dn_key(change.dn)
        if isinstance(change, ModRdn):
            found.update(dict.fromkeys(f"{p} is protected: the plan would move it: rerun "
                                       "with --force" for p in under.get(key, ())))
        elif not isinstance(change, Add) and key in keys:
            verb = "delete" if isinstance(change, Delete) else "modify"
            found[f"{keys[key]} is protected: the plan would {verb} it: rerun with --force"] = None
    listed = list(found)
    if len(listed) > MAX_LISTED:
        rest = len(listed) - MAX_LISTED
        listed[MAX_LISTED:] = [f"... and {rest} more protected entries the plan would change"]
    return listed
