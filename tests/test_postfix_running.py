"""`ldifctl resolve` agrees with a running Postfix (`sendmail -bv`) on every address: the
final recipients and the status, with the table files `postfix-maps` wrote, unchanged."""

from __future__ import annotations

from pathlib import Path

from mail_kit import example_repo, router
from postfix_kit import PLAIN_ADDRESS, RunningPostfix, point_at, resolved, serve, write_tables
from servers import LdapServer
from test_postfix_real import every_key, generated_people


def test_the_example_routes_as_postfix_does(
    tmp_path: Path, clean_slapd: LdapServer, postfix: RunningPostfix
) -> None:
    repo = example_repo(tmp_path)
    repo.populate(generated_people(60))
    point_at(repo, clean_slapd)
    serve(repo, clean_slapd)
    write_tables(repo, postfix)
    addresses = [k for k in every_key(router(repo)) if PLAIN_ADDRESS.fullmatch(k)]
    real = postfix.probe(addresses)
    predicted = resolved(repo, addresses)
    wrong = {a: (real[a], predicted[a]) for a in addresses if real[a] != predicted[a]}
    assert wrong == {}
    assert len(addresses) > 100
