"""The parts of a tree the server refers elsewhere, as a read of it meets them: a base at or
below a referral entry, and a referral entry below it that the server sends nothing of.
Read on, either would make what lies there look deleted (sources/server.py refuses)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ldap
from ldap.controls import ManageDSAITControl

from ldifctl.model.errors import LdifctlError
from ldifctl.sources import connection
from ldifctl.sources.connection import Connection


def refuse_referred(conn: Connection, base: str) -> None:
    """A base that gave no entry may be held by another server. slapd then answers with
    the referral (10: raised by the read), but 389-DS with No such object (32) naming the
    referral entry as `matched`, and asked with the paged control, with no entry and no
    error at all. One read of the base without paging, and of the matched entry with
    ManageDsaIT, tells a base that is missing (an empty directory) from one elsewhere."""
    try:
        conn.ldap.search_ext_s(base, ldap.SCOPE_BASE, "(objectClass=*)", ["1.1"])
        return
    except ldap.NO_SUCH_OBJECT as err:
        matched = connection.error_info(err).get("matched")
    except ldap.LDAPError:
        return
    if not matched:
        return
    try:
        found = conn.ldap.search_ext_s(
            matched, ldap.SCOPE_BASE, "(objectClass=referral)", ["ref"],
            serverctrls=[ManageDSAITControl()],
        )
    except ldap.LDAPError:
        return
    if found:
        urls = [u.decode("utf-8", "replace") for _, attrs in found for u in attrs.get("ref", [])]
        raise referred(conn, base, {"info": "\n".join(urls), "matched": matched})


def refuse_unsent(conn: Connection, base: str) -> None:
    """A referral entry below the base whose `ref` the server cannot read as a URL (a
    space before it, say) is sent neither as an entry nor as a reference: what lies below
    it would read as deleted, with no trace. Asked for with ManageDsaIT, once per base,
    after the read (a readable one has stopped it already)."""
    try:
        found = conn.ldap.search_ext_s(
            base, ldap.SCOPE_SUBTREE, "(objectClass=referral)", ["ref"],
            serverctrls=[ManageDSAITControl()], timeout=conn.timeout,
        )
    except ldap.LDAPError:  # no base yet, or no answer to the control: the read stands
        return
    for dn, attrs in found:
        if dn is None:
            continue  # a reference python-ldap hands over as such
        refs = ", ".join(repr(v.decode("utf-8", "replace")) for v in attrs.get("ref", []))
        raise LdifctlError(
            f"{conn.uri} holds the referral entry {dn} below {base}, whose ref {refs or 'none'} "
            "is no URL it sends: it sends neither that entry nor anything below it, and "
            "ldifctl would take them as deleted; fix the ref: value on the server (an LDAP "
            "URL), or set base_dn to the subtrees this server holds"
        )


def referred(conn: Connection, base: str, info: Mapping[str, Any]) -> LdifctlError:
    """The base itself is at or below a referral entry. `info` as python-ldap gives it
    with result 10: the referral's URLs in `info` (after a line `Referral:`), the referral
    entry's DN in `matched`."""
    urls = [line for line in str(info.get("info") or "").splitlines() if "://" in line]
    entry = f", the referral entry {info['matched']}" if info.get("matched") else ""
    return LdifctlError(
        f"{conn.uri} does not hold {base}: it refers it to another server "
        f"({', '.join(urls) or 'no URL given'}{entry}): set server.uri to the server that "
        f"holds {base}, or base_dn to the subtrees {conn.uri} holds"
    )
