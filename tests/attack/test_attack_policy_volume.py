"""A pull request's policy files and `mail:` tables cannot keep CI's `validate` busy for
hours or fill its memory. Every custom rule and every table is matched against every
entry, and every finding is held and printed. 1,000 custom rules that flagged every
entry took 198 s and 5 GB at 10k entries, and 1,000 tables took 13 s. So there are at
most 64 custom rules and 32 tables a map, and a rule's findings past the first 1,000 are
counted, not listed. The answer after an edit, judged by what changed, is still the
whole judgement's.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from attack_kit import Done, refused, run
from mail_kit import mail_repo
from repo_kit import CONFIG, DirectoryRepo, base_repo

PEOPLE = "ou=people,dc=example,dc=net"
# Flags every entry that has an `sn`: each person below.
FLAG_ALL = (
    "custom:\n  sn-is-never-right:\n    kind: pattern\n    severity: warning\n"
    "    attribute: sn\n    pattern: never\n"
)


def person(n: int, sn: str = "s") -> str:
    return (
        f"dn: cn=p{n},{PEOPLE}\nobjectClass: [inetOrgPerson]\ncn: p{n}\nsn: {sn}\n"
    )


def people(tmp_path: Path, count: int) -> DirectoryRepo:
    repo = base_repo(tmp_path / "repo")
    (repo.root / "policies").mkdir()
    (repo.root / "policies" / "flag.yaml").write_text(FLAG_ALL)
    for n in range(count):
        repo.write(f"cn=p{n},{PEOPLE}", person(n))
    repo.commit(f"{count} people")
    return repo


def cold(repo: DirectoryRepo, *args: str) -> Done:
    """The command judged whole, as on a fresh clone (the caches emptied)."""
    shutil.rmtree(repo.root / ".git" / "ldifctl", ignore_errors=True)
    return run(repo, *args)


def test_more_than_64_custom_rules_are_refused_at_the_first_too_many(tmp_path: Path) -> None:
    repo = base_repo(tmp_path / "repo")
    (repo.root / "policies").mkdir()
    rules = "".join(f"  r{k}:\n    kind: pattern\n    attribute: sn\n    pattern: x{k}\n"
                    for k in range(65))
    (repo.root / "policies" / "many.yaml").write_text(f"custom:\n{rules}")
    done = run(repo, "validate")
    refused(done, "policies/many.yaml:258")
    assert done.err == (
        "error: policies/many.yaml:258: custom.r64: more than 64 custom rules: each runs over "
        "every entry, so a policy file of thousands would keep `validate` busy for hours; "
        "merge rules that check one attribute (one pattern can say `a|b`)\n"
    )


def test_more_than_64_policy_files_are_refused_unread(tmp_path: Path) -> None:
    """200,000 policy files of one blob, 744 kB to push, took `validate` 55 s. In the
    working tree and in a revision (a pull request's head is listed for its digest)."""
    repo = base_repo(tmp_path / "repo")
    (repo.root / "policies").mkdir()
    for k in range(64):
        (repo.root / "policies" / f"p{k:02}.yaml").write_text("rules:\n  no-self-forward: error\n")
    assert run(repo, "validate").code == 0
    (repo.root / "policies" / "p64.yaml").write_text("rules:\n  no-self-forward: error\n")
    advice = "merge them (files merge in name order and a later key wins)"
    done = run(repo, "validate")
    assert (done.code, done.err) == (
        1, f"error: policies/p64.yaml: more than 64 policy files in policies: {advice}\n"
    )
    repo.commit("65 policy files")
    planned = run(repo, "plan", "--base", "HEAD", "--head", "HEAD")
    assert (planned.code, planned.err) == (
        1, f"error: HEAD:policies/p64.yaml: more than 64 policy files in HEAD:policies: {advice}\n"
    )


def test_more_than_32_base_dns_are_refused(tmp_path: Path) -> None:
    """20,000 base DNs took `validate` 90 s at 3,000 entries (each checked against the
    others); 32 are read."""
    bases = "".join(f"  - dc=other{i},dc=org\n" for i in range(32))
    repo = DirectoryRepo(tmp_path / "repo", CONFIG.replace("base_dn: dc=example,dc=net\n",
                                                           f"base_dn:\n{bases}"))
    assert run(repo, "validate").code == 0
    repo.write_raw("ldifctl.yaml", CONFIG.replace(
        "base_dn: dc=example,dc=net\n", f"base_dn:\n{bases}  - dc=example,dc=net\n"
    ).encode())
    done = run(repo, "validate")
    assert (done.code, done.err) == (
        1,
        "error: ldifctl.yaml:34: base_dn lists 33 DNs, more than the 32 ldifctl reads: every "
        "entry is placed against each, and each against the others, so this many would make "
        "every check slow; name the subtree that holds them instead\n",
    )


def test_a_table_of_more_than_32_domains_is_refused(tmp_path: Path) -> None:
    """With `(cn=%u)`, every entry answers to its user at each domain of the list: 5,000
    domains did not end in 300 s at 3,000 entries."""
    domains = ", ".join(f"d{i}.example" for i in range(33))
    config = (
        f"{CONFIG}mail:\n  virtual_alias_maps:\n"
        "    - search_base: ou=people,dc=example,dc=net\n"
        "      query_filter: (cn=%u)\n"
        "      result_attribute: mail\n"
        f"      domain: {domains}\n"
    )
    done = run(DirectoryRepo(tmp_path / "repo", config), "validate")
    line = config.count("\n", 0, config.index("domain:")) + 1
    assert (done.code, done.err) == (
        1,
        f"error: ldifctl.yaml:{line}: mail.virtual_alias_maps[1].domain lists 33 domains, "
        "more than the 32 ldifctl reads: with a `%u` filter every entry answers to its user "
        "at each of them, so this many would make every check slow; host them in "
        "virtual_mailbox_domains\n",
    )


def test_more_than_32_tables_in_a_map_are_refused(tmp_path: Path) -> None:
    table = (
        "    - search_base: ou=people,dc=example,dc=net\n"
        "      query_filter: (&(objectClass=inetOrgPerson)(mail=%s))\n"
        "      result_attribute: mail\n"
    )
    config = f"{CONFIG}mail:\n  virtual_mailbox_maps:\n{table * 33}"
    repo = DirectoryRepo(tmp_path / "repo", config)
    done = run(repo, "validate")
    line = config.count("\n", 0, config.index("mail:")) + 3 + 32 * 3
    assert (done.code, done.err) == (
        1,
        f"error: ldifctl.yaml:{line}: mail.virtual_mailbox_maps lists 33 tables, more than "
        "the 32 ldifctl reads: each is matched against every entry, so this many would make "
        "every check slow (and each of Postfix's lookups); merge tables that search one base\n",
    )


def test_a_rule_that_flags_every_entry_lists_1000_and_counts_the_rest(tmp_path: Path) -> None:
    repo = people(tmp_path, 1003)
    done = run(repo, "validate")
    lines = done.err.splitlines()
    assert done.code == 0, done.err  # warnings
    assert lines[0] == (
        "all entries: warning [sn-is-never-right] 3 more finding(s) of this rule are not "
        "listed (the first 1000 are): fix those entries, or the rule if it is wrong"
    )
    listed = [ln for ln in lines if "[sn-is-never-right] sn 's'" in ln]
    assert len(listed) == 1000
    assert lines[-1] == "1005 entries in directory: valid"


def test_the_answer_after_an_edit_is_the_whole_judgement_at_the_listing_bound(
    tmp_path: Path,
) -> None:
    """1,000 flagged entries are all listed, and the state is kept for the next run to
    start from; one more makes 1,001, which a whole judgement lists as 1,000 and a count.
    The run after the edit must say the same, and so must the one after that."""
    repo = people(tmp_path, 1000)
    first = run(repo, "validate")
    assert "all entries" not in first.err and first.err.count("[sn-is-never-right]") == 1000
    repo.write(f"cn=p1000,{PEOPLE}", person(1000))
    after_edit = run(repo, "validate")
    assert "1 more finding(s) of this rule are not listed" in after_edit.err
    assert after_edit == cold(repo, "validate")
    repo.write(f"cn=p1000,{PEOPLE}", person(1000, sn="still-wrong"))
    again = run(repo, "validate")
    assert "1 more finding(s)" in again.err
    assert again == cold(repo, "validate")


SHARED = 2000
UID_RULE = "custom:\n  one-uid:\n    kind: unique\n    attribute: uid\n"


def sharing(n: int) -> str:
    """Person n: the alias every person claims, and the uid every person holds."""
    return (
        f"dn: cn=p{n},{PEOPLE}\nobjectClass: [inetOrgPerson, mailRecipient]\ncn: p{n}\n"
        f"sn: s\nuid: same\nmail: p{n}@example.org\nmailAlternateAddress: shared@example.org\n"
        f"mailForwardingAddress: p{n}@example.org\n"
    )


def test_a_value_thousands_of_entries_share_names_five_of_them(tmp_path: Path) -> None:
    """Every holder of a shared value gets a finding that names the others: naming them
    all is quadratic. 2,000 entries that claimed one alias took 5 s and 585 MB, and
    printed 186 MB. Each finding names five others and counts the rest."""
    repo = mail_repo(tmp_path, {})
    (repo.root / "policies").mkdir()
    (repo.root / "policies" / "uid.yaml").write_text(UID_RULE)
    for n in range(SHARED):
        repo.write(f"cn=p{n},{PEOPLE}", sharing(n))
    done = run(repo, "validate")
    assert done.code == 1
    assert len(done.err) < 2_000_000
    lines = done.err.splitlines()
    path = "directory/dc=net/dc=example/ou=people/cn=p{}.yaml:{}"
    named = ", ".join(
        f"cn=p{n},{PEOPLE} ({path.format(n, 7)})" for n in (999, 998, 997, 996, 995)
    )
    assert (
        f"{path.format(0, 7)}: error [unique-aliases] shared@example.org is also an address "
        f"of {named} and 1994 more: an address may lead to one entry only; remove it from "
        "all but one"
    ) in lines
    uids = ", ".join(f"cn=p{n},{PEOPLE} ({path.format(n, 5)})" for n in (1, 10, 100, 1000, 1001))
    assert (
        f"{path.format(0, 5)}: error [one-uid] uid 'same' is also used by {uids} and "
        "1994 more: it must be unique in the directory; make them different"
    ) in lines
    assert lines[-1] == f"{SHARED + 4} entries in directory: 2002 error(s)"


def test_a_policy_naming_100000_absent_attributes_is_judged_in_bounded_memory(
    tmp_path: Path,
) -> None:
    """Each attribute a rule names that no entry holds had a column of its own, one slot
    an entry: 30,000 forbidden names at 3,000 entries took 750 MB. They share one now."""
    repo = people(tmp_path, 1_000)
    names = ", ".join(f"absent{i}" for i in range(100_000))
    forbidden = f"rules:\n  forbidden-attributes:\n    attributes: [userPassword, {names}]\n"
    (repo.root / "policies" / "forbidden.yaml").write_text(forbidden)
    done = run(repo, "validate", address_space=320 << 20)
    assert (done.code, done.err.splitlines()[-1]) == (
        0, "1002 entries in directory: valid"
    ), done.err[-2000:]


def test_a_filter_of_more_than_32_comparisons_is_refused_at_its_line(tmp_path: Path) -> None:
    """A filter runs against every entry for its rule: one of 50,000 comparisons (540 kB)
    took `validate` over 70 s at 3,000 entries."""
    repo = base_repo(tmp_path / "repo")
    (repo.root / "policies").mkdir()
    rule = "custom:\n  f:\n    kind: pattern\n    attribute: sn\n    pattern: s\n"
    fits = "(|" + "".join(f"(cn=z{i})" for i in range(32)) + ")"
    (repo.root / "policies" / "f.yaml").write_text(f"{rule}    filter: {fits}\n")
    assert run(repo, "validate").code == 0
    over = fits[:-1] + "(cn=z32))"
    (repo.root / "policies" / "f.yaml").write_text(f"{rule}    filter: {over}\n")
    done = run(repo, "validate")
    at = over.index("(cn=z32)") + 2  # 1-based, the attribute after its `(`
    assert (done.code, done.err) == (
        1,
        f"error: policies/f.yaml:6: filter: more than 32 comparisons at character {at} of "
        f"{over}: fix the RFC 4515 filter\n",
    )


def test_a_query_filter_nested_3000_deep_is_an_error_not_a_crash(tmp_path: Path) -> None:
    """3,000 nested `(!` ran out of Python's stack: "unexpected error"."""
    deep = "(!" * 3000 + "(mail=%s)" + ")" * 3000
    config = (
        f"{CONFIG}mail:\n  virtual_alias_maps:\n"
        "    - search_base: ou=people,dc=example,dc=net\n"
        f"      query_filter: {deep}\n"
        "      result_attribute: mail\n"
    )
    done = run(DirectoryRepo(tmp_path / "repo", config), "validate")
    line = config.count("\n", 0, config.index("query_filter:")) + 1
    refused(done, f"ldifctl.yaml:{line}: mail.virtual_alias_maps[1].query_filter: nested more "
            "than 16 levels deep at character 34 of (!(!(!")


# RE2's slow matcher: ~10 ns per instruction per byte on this pattern (its DFA grows
# without bound): 1.1 s per 100 kB for one rule, hours for 64 rules over 16 MiB files.
SLOW = "[ab]*a[ab]{1000}c"


def test_patterns_that_send_re2_to_its_slow_path_stop_at_the_budget(tmp_path: Path) -> None:
    """Two such rules over a value of 1 MB took `validate` 20 s (64 rules and 16 MiB files:
    hours). The rules stop where their budget is spent, with an error there (whatever
    their severity: what follows was not judged), and no value is quoted whole."""
    repo = base_repo(tmp_path / "repo")
    (repo.root / "policies").mkdir()
    rules = "".join(
        f"  slow{k}:\n    kind: pattern\n    severity: warning\n    attribute: description\n"
        f"    pattern: '{SLOW}'\n"
        for k in range(2)
    )
    (repo.root / "policies" / "slow.yaml").write_text(f"custom:\n{rules}")
    value = "ab" * 1_000_000  # 2 MB: 2 x 10^9 instruction-bytes for one rule, over the budget
    repo.write(f"cn=big,{PEOPLE}", person(0).replace("cn=p0", "cn=big").replace("cn: p0", "cn: big")
               + f"description: {value}\n")
    repo.write(f"cn=small,{PEOPLE}", person(1).replace("cn=p1", "cn=small")
               .replace("cn: p1", "cn: small") + "description: abab\n")
    done = cold(repo, "validate")
    where = "directory/dc=net/dc=example/ou=people/cn=big.yaml:5"
    assert done.code == 1, done.err[-2000:]
    lines = done.err.splitlines()
    stopped = [line for line in lines if "stopped at this description value" in line]
    # The first rule stops at the big value; so does the second, with nothing left.
    assert [line.partition("]")[0] for line in stopped] == [
        f"{where}: error [slow0", f"{where}: error [slow1"
    ], done.err[-3000:]
    for rule, line in zip(("slow0", "slow1"), stopped, strict=True):
        assert line.endswith(
            f"[{rule}] the {rule} rule stopped at this description value (2,000,000 bytes): "
            "its pattern is 1,007 instructions long, and the pattern rules of this run may "
            "match 1,000,400,000 instruction-bytes together (RE2's slow path takes about 10 ns "
            "for each); the values after it were not judged: shorten the pattern (a "
            "repetition such as {1000} is that many instructions), narrow the rule with base: "
            "or filter:, or keep such values short"
        )
    assert max(map(len, lines)) < 1000, "a value quoted whole"


def test_a_value_that_does_not_match_is_quoted_up_to_200_characters(tmp_path: Path) -> None:
    repo = people(tmp_path, 0)
    repo.write(f"cn=long,{PEOPLE}", person(0).replace("cn=p0", "cn=long")
               .replace("cn: p0", "cn: long").replace("sn: s", "sn: " + "x" * 100_000))
    done = cold(repo, "validate")
    assert done.code == 0, done.err[-2000:]
    assert (
        "warning [sn-is-never-right] sn '" + "x" * 200 + "'… (100,000 characters) does not "
        "match the sn-is-never-right rule: make it match never"
    ) in done.err, done.err[-2000:]
