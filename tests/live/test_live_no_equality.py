"""`apply` of a type slapd has no equality rule for (`nisNetgroupTriple`): the value cannot
be deleted one by one nor asserted, so the attribute is replaced under the entry's stamp.
It once went out as `delete:` of the value (Inappropriate matching, 18) and an add under
`(nisNetgroupTriple=...)` (Undefined: a false "the entry changed"), on every re-run."""

from __future__ import annotations

from pathlib import Path

import servers
from live_kit import PEOPLE_DN, in_sync, ldifctl, live_repo

DN = f"cn=admins,{PEOPLE_DN}"
TRIPLES = ("(host1,alice,example.net)", "(host2,bob,example.net)")


def netgroup(*triples: str) -> str:
    # `top` written out: 389 adds it on read, and ldifctl does not know nisNetgroup's SUP.
    classes = "objectClass:\n  - top\n  - nisNetgroup\n"
    lines = "".join(f"  - '{t}'\n" for t in triples)
    return f"dn: {DN}\n{classes}cn: admins\nnisNetgroupTriple:\n{lines}"


def test_a_netgroup_gains_and_loses_a_triple(tmp_path: Path, server: servers.LdapServer) -> None:
    repo = live_repo(tmp_path / "repo", server)
    repo.write(DN, netgroup(TRIPLES[0]))
    for triples in [TRIPLES[:1], TRIPLES, TRIPLES[1:]]:
        repo.write(DN, netgroup(*triples))
        code, _, err = ldifctl(repo, "apply", "--yes")
        assert code == 0, err
        assert in_sync(repo, server)
        assert ldifctl(repo, "drift")[0] == 0


def test_a_triple_is_replaced_not_deleted_by_value(
    tmp_path: Path, server: servers.LdapServer
) -> None:
    repo = live_repo(tmp_path / "repo", server)
    repo.write(DN, netgroup(*TRIPLES))
    assert ldifctl(repo, "apply", "--yes")[0] == 0
    repo.write(DN, netgroup(TRIPLES[0]))

    code, planned, _ = ldifctl(repo, "plan", "--base", "server")
    assert code == 0
    assert planned.endswith(
        f"dn: {DN}\nchangetype: modify\nreplace: nisNetgroupTriple\n"
        f"nisNetgroupTriple: {TRIPLES[0]}\n-\n\n"
    )
