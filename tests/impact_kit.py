"""Changes with routing impact, for the comment, picture and CI tests: the README's own
example, and one whose addresses and DNs hold what Mermaid and Markdown would misread;
and `answered`, which notes whether a way of working out the impact answered."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mail_kit import mail_repo, person
from repo_kit import DirectoryRepo


def dn(cn: str) -> str:
    return f"cn={cn},ou=people,dc=example,dc=net"


def readme_change(root: Path) -> DirectoryRepo:
    """sales@ moves from alice to bob; a forward is retargeted; a new loop; a new alias."""
    repo = mail_repo(
        root,
        {
            "alice": person("alice", mail="alice@example.org", mailAlias="sales@example.org"),
            "bob": person("bob", mail="bob@example.org"),
            "support": person(
                "support",
                mailAlternateAddress="support@example.org",
                mailForwardingAddress="alice@example.org",
            ),
            "helpdesk": person(
                "helpdesk",
                mailAlternateAddress="helpdesk@example.org",
                mailForwardingAddress="alice@example.org",
            ),
        },
    )
    repo.write(dn("alice"), person("alice", mail="alice@example.org"))
    repo.write(dn("bob"), person("bob", mail="bob@example.org", mailAlias="sales@example.org"))
    repo.write(
        dn("support"),
        person(
            "support",
            mailAlternateAddress="support@example.org",
            mailForwardingAddress="bob@partner.test",
        ),
    )
    repo.write(
        dn("helpdesk"),
        person(
            "helpdesk",
            mailAlternateAddress="helpdesk@example.org",
            mailForwardingAddress="oncall@example.org",
        ),
    )
    repo.write(
        dn("oncall"),
        person(
            "oncall",
            mailAlternateAddress="oncall@example.org",
            mailForwardingAddress="helpdesk@example.org",
        ),
    )
    return repo


TRICKY = ('"q[#]|x"@example.org', '"a`b>c"@example.org', "zoë@example.org")


def tricky_change(root: Path) -> DirectoryRepo:
    """Addresses with quotes, brackets, `#`, `|`, backticks and non-ASCII, behind a DN
    with a comma and `#` in it, all moved from one mailbox to another."""
    owner = 'cn=Ops #1\\, \\"team\\",ou=people,dc=example,dc=net'
    entry = (
        f"dn: '{owner}'\nobjectClass: [inetOrgPerson, mailRecipient]\ncn: 'Ops #1, \"team\"'\n"
        "sn: Ops\nmailAlternateAddress:\n" + "".join(f"  - '{a}'\n" for a in TRICKY)
    )
    repo = mail_repo(
        root,
        {
            "alice": person("alice", mail="alice@example.org"),
            "bob": person("bob", mail="bob@example.org"),
        },
    )
    repo.write(owner, entry + "mailForwardingAddress: alice@example.org\n")
    repo.commit("the ops team")
    repo.write(owner, entry + "mailForwardingAddress: bob@example.org\n")
    return repo


def forward_added(root: Path) -> DirectoryRepo:
    """Three people of h1.test, each with an alt address; cn=one is given a forward to
    two@ in the working tree: one.alt@ now reaches two@ too."""
    people = {
        cn: person(cn, mail=f"{cn}@h1.test", mailAlternateAddress=f"{cn}.alt@h1.test")
        for cn in ("one", "two", "three")
    }
    repo = mail_repo(root, people, domains=("h1.test",))
    one = repo.path(dn("one"))
    one.write_text(one.read_text() + "mailForwardingAddress: two@h1.test\n")
    return repo
def answered(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[bool]:
    """Whether each call of `module.name` answered (did not say None), call by call."""
    real: Callable[..., Any] = getattr(module, name)
    calls: list[bool] = []

    def noting(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        calls.append(result is not None)
        return result

    monkeypatch.setattr(module, name, noting)
    return calls
