"""A plan comment a pull request's entries fill: under GitHub's limit with every part
full at once, nothing in it a mention, a reference or a link, and what is cut chosen so
that changes to existing entries show."""

from __future__ import annotations

import dataclasses

from test_live_markdown import DN, SALES

from ldifctl.cli import markdown, markdown_parts, mermaid
from ldifctl.mail.address_impact import Edge
from ldifctl.model.changes import Add, Mod, Modify
from ldifctl.model.findings import Finding
from ldifctl.plan import Plan

LONG = "x=" * 30  # each `=` is 4 characters in a Mermaid label: a picture fills fast


def test_every_part_full_at_once_stays_under_githubs_limit() -> None:
    """The shares summed to 67,000 characters: 400 entries made a 66,308-character
    comment, GitHub refused it, and the last push's "Ready" stayed up."""
    findings = tuple(
        Finding(f"directory/x{i}.yaml:3", "address-syntax", "error", DN, "y" * 300)
        for i in range(400)
    )
    changes = tuple(
        Add(f"cn={LONG}{i},{DN}", (("description", (b"d" * 280,)),)) for i in range(400)
    )
    far = tuple(Edge(f"{LONG}{i}@x.test", f"{LONG}{i}@y.test", "alias") for i in range(3))
    moved = tuple(
        dataclasses.replace(SALES, address=f"{LONG}{i}@x.test", new_edges=far) for i in range(400)
    )
    text = markdown.plan_markdown(Plan("a", "b", changes, findings, moved))
    assert "```mermaid" in text  # the picture is drawn, near its share
    assert len(text) < markdown.MAX_COMMENT - 4_000, len(text)
    shares = (
        markdown.MAX_FINDINGS_CHARS, markdown.MAX_ROUTING_CHARS, markdown.MAX_FILES_CHARS,
        markdown.MAX_PICTURE_CHARS, markdown.MAX_CHANGES_CHARS, markdown.MAX_LDIF_CHARS,
    )
    assert sum(shares) <= markdown.MAX_COMMENT - 10_000  # room for the fixed text


def test_a_quoted_value_mentions_no_one_and_links_nothing() -> None:
    message = "'cc @octocat see #1 and octo/repo#2 https://evil.example ~~x~~ $x$' is not valid"
    finding = Finding("directory/x.yaml:3", "address-syntax", "error", DN, message)
    text = markdown.plan_markdown(Plan("a", "b", (), (finding,)))
    assert f"- ❌ `directory/x.yaml:3` **address-syntax** `{message}`\n" in text


def test_changes_to_existing_entries_are_listed_before_adds() -> None:
    """150 adds came first, and cut at the share they hid the one modify of a mailbox."""
    adds = tuple(Add(f"cn=a{i},{DN}", (("description", (b"d" * 430,)),)) for i in range(150))
    modify = Modify(f"uid=janedoe,{DN}", (Mod("replace", "mailUidNumber", (b"5000",)),))
    text = markdown.plan_markdown(Plan("a", "b", (*adds, modify), ()))
    table = text.split("#### Changes")[1]
    assert table.index("uid=janedoe") < table.index("cn=a0,")


def test_one_long_value_hides_no_other_attribute() -> None:
    change = Modify(DN, (
        Mod("replace", "description", (b"d" * 1000,)),
        Mod("replace", "mailForwardingAddress", (b"evil@attacker.test",)),
    ))
    [row] = markdown_parts.change_rows((change,))
    assert "mailForwardingAddress: =`evil@attacker.test`" in row
    assert f"`{'d' * markdown_parts.MAX_VALUE}…` (1,000 characters)" in row


def test_the_picture_shows_invisible_characters_as_the_table_does() -> None:
    """Mermaid decodes `#8238;` back to a bidi override: `ceo\\u202emoc.liame\\u202c@` was
    drawn as `ceoemail.com@`."""
    label = mermaid.label("ceo\u202emoc.liame\u202c@x.test \u200b")
    assert "#8238;" not in label and "#8203;" not in label
    assert label == '"ceo#92;u202emoc.liame#92;u202c@x.test #92;u200b"'
