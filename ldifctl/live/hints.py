"""What a write the server refused means for the user, by result code and change kind.

The code alone can mislead: No such object (32) on an add means its parent is gone, not
the entry, and Already exists (68) on a rename means the new DN is taken. Where the
server's diagnostic names an attribute or a class, the hint repeats it.
"""

from __future__ import annotations

import re

import ldap

from ldifctl.live.entry_check import CHANGED
from ldifctl.model import dn as dnmod
from ldifctl.model.changes import Add, Change, ModRdn
from ldifctl.sources.connection import describe, error_info

_RERUN = "run `ldifctl drift` to see the server's state, then `ldifctl apply` again"
_BY_CODE = {
    16: f"{CHANGED}: a value the plan deletes is gone",
    19: "the server's constraints refuse the values (a single-valued attribute holding "
    f"another value, a size or uniqueness limit): {_RERUN}",
    20: f"{CHANGED}: a value the plan adds is there already",
    21: "the server refuses a value's syntax: fix the value in the repo (`ldifctl validate` "
    "checks ldifctl's schema, not the server's)",
    32: f"{CHANGED}: the entry is gone",
    50: "the bind DN may not write this entry: grant it write access",
    53: "the server is unwilling to perform it (a read-only replica or a server-side rule): "
    "check that server.uri names a writable server, and the server's log",
    66: "the entry has children the plan does not delete or move",
    68: f"{CHANGED}: the entry exists already",
    122: f"{CHANGED}: the assertion sent with the write no longer holds",
}


def failure_text(err: ldap.LDAPError, change: Change | None = None) -> str:
    """The server's answer and, where ldifctl knows one, what it means and what to do."""
    code = error_info(err).get("result")
    hint = _hint(code, err, change) if isinstance(code, int) else None
    return f"{describe(err)}; {hint}" if hint else describe(err)


def _hint(code: int, err: ldap.LDAPError, change: Change | None) -> str | None:
    if code == 32 and (parent := _parent(change)) is not None:
        return _parent_gone(parent, str(error_info(err).get("matched") or ""))
    if code == 68 and isinstance(change, ModRdn):
        return f"the new DN {change.new_dn} is taken: an entry exists there already; {_RERUN}"
    if code == 65:
        return _schema_refusal(str(error_info(err).get("info") or ""))
    return _BY_CODE.get(code)


def _parent(change: Change | None) -> str | None:
    """The entry a change needs above it: an add's parent, a move's new superior."""
    if isinstance(change, Add):
        return dnmod.parent(change.dn)
    if isinstance(change, ModRdn):
        return change.new_superior
    return None


def _parent_gone(parent: str, matched: str) -> str:
    # The matched DN is the deepest entry the server found on the way down: where the
    # missing part of the tree starts.
    closest = f" (the closest entry the server holds is {matched})" if matched else ""
    return (
        f"the parent {parent} is gone from the server{closest}: {_RERUN}, or restore the "
        "parent first"
    )


def _schema_refusal(info: str) -> str:
    named = re.findall(r"'([^']+)'", info)  # slapd and 389 quote the attribute or class
    what = f" ({', '.join(named)})" if named else ""
    return (
        f"the server's schema refuses the entry's object classes or attributes{what}; "
        "`ldifctl validate` cannot know the server's schema for it: fix the entry in the "
        "repo, or load the schema it needs on the server"
    )
