"""The bound on the bytes the filters of a state's LDAP URLs read (url_reads.py): a count
of entries tested does not see one entry of 8 MB tested by URLs of 31 substring
assertions each. Scaled down here, with the bound lowered."""

from __future__ import annotations

from pathlib import Path

import pytest
from mail_kit import load, mail_repo, person, router
from repo_kit import run
from test_special_values import CANNOT_TELL, PEOPLE, URL_MAIL

from ldifctl.mail import url_reads
from ldifctl.mail.ldap_filter import parse
from ldifctl.mail.route_report import status
from ldifctl.mail.tree import Tree

TERMS = "".join(f"(description=*a{i}*b*c*d*)" for i in range(31))


def bomb(size: int, urls: int) -> dict[str, str]:
    """The reproduction's shape: one entry with a large description, and one whose
    labeledURI holds distinct URLs that each test it 31 times."""
    found = [f"ldap:///cn=big,{PEOPLE}??base?(|{TERMS}(cn=z{k}))" for k in range(urls)]
    return {
        "big": person("big", mail="big@h1.test", description="x" * size),
        "g": person("g", uid="g@h2.test", labeledURI=found),
    }


def test_urls_that_read_a_large_value_many_times_are_an_error_not_a_hang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each URL reads 31 * (100,000 + 32) bytes of description and 3 + 32 of cn: three
    fit in 10,000,000 bytes, the fourth does not, nor any after it."""
    monkeypatch.setattr(url_reads, "MAX_READ", 10_000_000)
    repo = mail_repo(tmp_path, bomb(100_000, 8), ("h1.test", "h2.test"), URL_MAIL)
    code, out, err = run(repo, "validate")
    over = [line for line in (out + err).splitlines() if "[special-values]" in line]
    assert code == 1, out + err
    assert len(over) == 5, over
    assert all(" error [special-values] virtual_alias_maps[3]: " in line for line in over)
    assert all("bytes of values in all: fewer or narrower URLs" in line for line in over)
    assert over[0].endswith(
        f"{CANNOT_TELL} ldap:///cn=big,{PEOPLE}??base?(|{TERMS}(cn=z3)): with it, the LDAP "
        "URLs of this state read more than 10,000,000 bytes of values in all: fewer or "
        "narrower URLs (a base near the entries they find) keep it within"
    )
    found = router(repo).resolve("g@h2.test")
    assert status(found) == "unknown", found
    assert "read more than 10,000,000 bytes of values in all" in found.error


def test_within_the_bound_the_urls_are_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(url_reads, "MAX_READ", 10_000_000)
    repo = mail_repo(tmp_path, bomb(100_000, 3), ("h1.test", "h2.test"), URL_MAIL)
    _, out, err = run(repo, "validate")
    assert "[special-values]" not in out + err, out + err
    found = router(repo).resolve("g@h2.test")
    assert status(found) == "undeliverable", found  # no URL finds cn=big: no cn=z*


def test_each_assertion_reads_its_attribute_over_the_scope(tmp_path: Path) -> None:
    people = {
        "ann": person("ann", mail="ann@h1.test", description=["ab", "cde"]),
        "bob": person("bob", mail="bob@h1.test"),
    }
    snapshot, _ = load(mail_repo(tmp_path, people, ("h1.test",), URL_MAIL))
    tree = Tree(snapshot)
    base = tree.schema.dn_key(PEOPLE)
    cost = url_reads.VALUE_COST
    description = 2 + 3 + 2 * cost  # ann's two values; bob has none
    cn = 3 + 3 + 2 * cost  # `ann`, `bob`; ou=people has no cn
    filt = parse("(&(description=*a*)(!(cn=x))(|(description=b)(mail=*)))")
    assert url_reads.read(tree, filt, base, "sub") == 2 * description + cn
    assert url_reads.read(tree, filt, base, "base") == 0
    assert url_reads.read(tree, parse("(description=*)"), base, "sub") == 0
    assert url_reads.read(tree, None, base, "sub") == 0
