"""Postfix `%` templates from ldifctl.yaml read backwards: keys come out of an entry's
values in time linear in the value, and a template that cannot be read back one way only
is refused at its line. The reference is the regular expression (with backreferences)
that did the reading before: on short values it is fast enough to compare with."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from attack_kit import refused, run
from hypothesis import given, settings
from hypothesis import strategies as st
from mail_kit import example_repo, mail_repo, person

from ldifctl.mail.ldap_filter import Compare, Template, parse
from ldifctl.mail.templates import reverse_keys, reverse_problem

ALTERNATE = "(mailAlternateAddress=%s)"
USER = "directory/dc=net/dc=example/ou=people/cn=user.example.yaml"


def test_adjacent_placeholders_cannot_hang_ci(tmp_path: Path) -> None:
    """`%1%2…%9!` read back out of an 80-character value is billions of splits for a
    backtracking regex (minutes): refused at the filter's line, under a CPU limit."""
    repo = example_repo(tmp_path)
    config = repo.root / "ldifctl.yaml"
    text = config.read_text()
    config.write_text(text.replace(ALTERNATE, "(mailAlternateAddress=%1%2%3%4%5%6%7%8%9!)"))
    user = repo.root / USER
    user.write_text(user.read_text().replace("old.address@domain.com", "a" * 80))
    line = text[: text.index(ALTERNATE)].count("\n") + 1
    where = f"ldifctl.yaml:{line}: mail.virtual_alias_maps[2].query_filter"
    for command in ("validate", "plan"):
        refused(run(repo, command), where)


def atom(value: str) -> Compare:
    node = parse(f"(mail={value})", templated=True)
    assert isinstance(node, Compare)
    return node


AMBIGUOUS = {
    "%1%2": "%1 is followed directly by %2",
    "%u%d": "%u is followed directly by %d",
    "%u.%d": "%u may hold the '.' after it",
    "%s+%u": "%s may hold the '+' after it",
    "x%1a%2a%3": "%1 may hold the 'a' after it",
    "%u.%u@%d": "%u may hold the '.' after it",
}


@pytest.mark.parametrize(("value", "problem"), AMBIGUOUS.items(), ids=AMBIGUOUS.keys())
def test_a_template_read_back_more_than_one_way_is_named(value: str, problem: str) -> None:
    assert reverse_problem(atom(value).value) == problem


READABLE = ["%s", "%u", "%d", "%1", "%u@%d", "%u@%2.%1", "x-%s-y", "%1.%1",
            "%d.%1", "pre%u@%d", "%s@%d", "%u%%x@%d", "%2.%1"]


@pytest.mark.parametrize("value", READABLE)
def test_the_usual_templates_are_readable(value: str) -> None:
    assert reverse_problem(atom(value).value) is None


def reference(value: Template, text: str, domains: tuple[str, ...]) -> list[str]:
    """The backtracking reading this module replaced (backreferences for repeats)."""
    if value in (("s",), ("S",)):
        return [text.lower()]
    groups = {"s": "s", "S": "s", "u": "u", "U": "u", "d": "d", "D": "d"}
    shapes = {"s": r".+", "u": r".*", "d": r"[^@]+"}
    out, seen = [], set()
    for segment in value:
        if isinstance(segment, bytes):
            out.append(re.escape(segment.decode().lower()))
            continue
        name = groups.get(segment, f"n{segment}")
        out.append(f"(?P={name})" if name in seen else f"(?P<{name}>{shapes.get(name, '[^.@]+')})")
        seen.add(name)
    match = re.compile("".join(out), re.DOTALL).fullmatch(text.lower())
    if match is None:
        return []
    found = match.groupdict()
    if found.get("s") is not None:
        return [found["s"]]
    user, domain = found.get("u"), found.get("d")
    if user is not None and domain is not None:
        return [f"{user}@{domain}"]
    return [f"{user}@{d}" for d in domains] if user is not None else []


@settings(max_examples=3000, deadline=None)
@given(st.sampled_from(READABLE), st.text(st.sampled_from("ab.@-%xyABpre\n"), max_size=12))
def test_the_linear_reading_agrees_with_the_backtracking_one(value: str, text: str) -> None:
    template = atom(value)
    domains = ("example.org",)
    assert reverse_keys(template, text.encode(), domains) == reference(
        template.value, text, domains
    )


def test_a_catch_all_feeding_itself_cannot_exhaust_ci(tmp_path: Path) -> None:
    """Two catch-alls of h1.test forwarding to `@h1.test`: the result `@h1.test,@h1.test`
    becomes one address whose user part holds the rest, longer at every hop. The walk for
    loops used to grow it until memory ran out (24 GB on the CI machine); it is refused by
    the catch-all, under the attack suite's address-space limit."""
    catch_all = {"mailAlternateAddress": "@h1.test", "mailForwardingAddress": "@h1.test"}
    repo = mail_repo(tmp_path, {cn: person(cn, **catch_all) for cn in ("c1", "c2")}, ("h1.test",))
    for command in ("validate", "plan"):
        done = run(repo, command)
        refused(done, "the catch-all @h1.test (cn=c1,ou=people,dc=example,dc=net; cn=c2,")
        assert "routes its mail back into itself" in done.err
