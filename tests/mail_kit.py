"""Directory repos for the mail tests: the worked example, and small hand-made ones."""

from __future__ import annotations

import shutil
from pathlib import Path

from repo_kit import PEOPLE, SUFFIX, DirectoryRepo

from ldifctl.mail.routing import Router
from ldifctl.mail.settings import MailConfig
from ldifctl.model.snapshot import Snapshot
from ldifctl.policy.check import mail_config
from ldifctl.repo import tree
from ldifctl.repo.readers import worktree
from ldifctl.repo.workspace import open_workspace

ROOT = Path(__file__).resolve().parent.parent

# The Postfix tables of both seed setups, as in the README.
MAIL = """\
mail:
  virtual_mailbox_domains:
    - search_base: ou=Domains,dc=example,dc=net
      query_filter: (&(objectClass=dNSDomain)(dc=%s))
      result_attribute: dc
  virtual_mailbox_maps:
    - search_base: ou=people,dc=example,dc=net
      query_filter: (&(objectClass=inetOrgPerson)(mail=%s))
      result_attribute: mail
  virtual_alias_maps:
    - search_base: ou=people,dc=example,dc=net
      query_filter: (&(objectClass=PostfixBookMailAccount)(mailAlias=%s))
      result_attribute: mail
    - search_base: ou=people,dc=example,dc=net
      query_filter: (mailAlternateAddress=%s)
      result_attribute: mailForwardingAddress
"""


def mail_with(*tables: str, **settings: str) -> str:
    """MAIL with `main.cf` settings beside the tables, and more alias tables after its."""
    lines = "".join(f"  {name}: '{value}'\n" for name, value in settings.items())
    return "mail:\n" + lines + MAIL.removeprefix("mail:\n") + "".join(tables)


CONFIG = """\
base_dn: dc=example,dc=net
directory: directory
policies: policies
server:
  uri: ldap://127.0.0.1:3389
  bind_dn: cn=postfix,dc=example,dc=net
"""
DOMAINS = """\
dn: ou=Domains,dc=example,dc=net
objectClass: organizationalUnit
ou: Domains
"""


def example_repo(tmp_path: Path) -> DirectoryRepo:
    """A git repo holding a copy of the worked example (ldifctl.yaml, directory, policies)."""
    root = tmp_path / "example"
    shutil.copytree(ROOT / "directory", root / "directory")
    shutil.copytree(ROOT / "policies", root / "policies")
    repo = DirectoryRepo(root, (ROOT / "ldifctl.yaml").read_text())
    repo.commit("the worked example")
    return repo


def domain(name: str) -> str:
    return f"dn: dc={name},ou=Domains,dc=example,dc=net\nobjectClass: dNSDomain\ndc: {name}\n"


def person(cn: str, **attrs: str | list[str]) -> str:
    """An inetOrgPerson below ou=people with mailRecipient (and postfix-book for mailAlias)."""
    classes = "inetOrgPerson, mailRecipient" + (
        ", PostfixBookMailAccount" if "mailAlias" in attrs else ""
    )
    lines = [
        f"dn: cn={cn},ou=people,dc=example,dc=net",
        f"objectClass: [{classes}]",
        f"cn: {cn}",
        "sn: Person",
    ]
    for name, value in attrs.items():
        values = value if isinstance(value, list) else [value]
        lines += [f"{name}:", *(f"  - '{v}'" for v in values)]
    return "\n".join(lines) + "\n"


def mail_repo(
    tmp_path: Path,
    people: dict[str, str],
    domains: tuple[str, ...] = ("example.org",),
    mail: str = MAIL,
) -> DirectoryRepo:
    """A repo with the two seed tables, some hosted domains and the given people."""
    repo = DirectoryRepo(tmp_path / "repo", CONFIG + mail)
    entries = {
        "dc=example,dc=net": SUFFIX,
        "ou=people,dc=example,dc=net": PEOPLE,
        "ou=Domains,dc=example,dc=net": DOMAINS,
    }
    entries.update({f"dc={d},ou=Domains,dc=example,dc=net": domain(d) for d in domains})
    entries.update({f"cn={cn},ou=people,dc=example,dc=net": text for cn, text in people.items()})
    repo.populate(entries)
    repo.commit("base")
    return repo


def load(repo: DirectoryRepo) -> tuple[Snapshot, MailConfig]:
    ws = open_workspace(repo.root, {})
    return tree.load(worktree(ws), ws.schema), mail_config(ws)


def router(repo: DirectoryRepo) -> Router:
    return Router(*load(repo))


# A catch-all whose result starts with `@domain` and holds more (two entries answer):
# Postfix makes one address of it, `"a+t@h1.test,"@h1.test`, and strips that address's
# extension inside the quotes (a@h1.test, which expands into the same address again).
QUOTED_EXTENSION_DOMAINS = ("h1.test", "h4.test")


def cycle_broken_people(schema: str) -> dict[str, str]:
    """a -> x -> d, and d -> {a, d} (two entries claim d@): d expands into itself, so
    Postfix expands it no more, and the second round of a -> x -> d stops at d. Not a
    loop: mail for a, x and d is delivered to the mailbox d@h1.test."""
    return {
        "a": alias_in(schema, "a", "a@h1.test", "x@h1.test"),
        "x": alias_in(schema, "x", "x@h1.test", "D@h1.test"),
        "d1": alias_in(schema, "d1", "d@h1.test", "a@h1.test"),
        "d2": alias_in(schema, "d2", "d@H1.test", "d@h1.test"),
        "box": person("box", mail="d@h1.test"),
    }


def alias_in(schema: str, cn: str, key: str, targets: str) -> str:
    """An alias in either seed schema: mailAlternateAddress -> mailForwardingAddress, or
    postfix-book's mailAlias -> mail."""
    if schema == "postfix-book":
        return person(cn, mailAlias=key, mail=targets)
    return person(cn, mailAlternateAddress=key, mailForwardingAddress=targets)


def quoted_extension_people(schema: str) -> dict[str, str]:
    """The same routes in either seed schema (`alias_in`)."""

    def alias(cn: str, key: str, targets: str) -> str:
        return alias_in(schema, cn, key, targets)

    return {
        "a": person("a", mail="a@h1.test"),
        "e1": alias("e1", "@h4.test", "@h1.test"),
        "e2": alias("e2", "@h4.test", "@h1.test"),
        "g": alias("g", "A@H1.TEST", "@h1.test"),
        "loop": alias("loop", "@h1.test", "a@h4.test"),
    }
