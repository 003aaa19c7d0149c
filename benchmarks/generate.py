"""Synthetic mail directories for benchmarks: a git repo with N entries in canonical form.

About 60 % postfix-book mailboxes (with 0-3 aliases) under ou=Mail and 40 % 389-style
forwards (mailAlternateAddress -> mailForwardingAddress) under ou=people, 50 hosted domains.

    python benchmarks/generate.py DIR COUNT
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

from ldifctl.model import entry_paths
from ldifctl.model.schema import build_schema
from ldifctl.model.snapshot import Entry
from ldifctl.repo.entries.render import render_entry

SUFFIX = "dc=example,dc=net"
DOMAINS = [f"domain{i}.example" for i in range(50)]
CONFIG = f"""\
base_dn: {SUFFIX}
mail:
  virtual_mailbox_domains:
    - search_base: ou=Domains,{SUFFIX}
      query_filter: (&(objectClass=dNSDomain)(dc=%s))
      result_attribute: dc
  virtual_mailbox_maps:
    - search_base: ou=Mail,{SUFFIX}
      query_filter: (&(objectClass=inetOrgPerson)(mail=%s))
      result_attribute: mail
  virtual_alias_maps:
    - search_base: ou=Mail,{SUFFIX}
      query_filter: (&(objectClass=PostfixBookMailAccount)(mailAlias=%s))
      result_attribute: mail
    - search_base: ou=people,{SUFFIX}
      query_filter: (mailAlternateAddress=%s)
      result_attribute: mailForwardingAddress
"""


def _entry(dn: str, **attrs: list[str]) -> Entry:
    return Entry(dn, {k: tuple(v.encode() for v in vs) for k, vs in attrs.items()})


def skeleton() -> list[Entry]:
    entries = [_entry(SUFFIX, objectClass=["domain", "top"], dc=["example"])]
    for ou in ("Domains", "Mail", "people"):
        entries.append(_entry(f"ou={ou},{SUFFIX}", objectClass=["organizationalUnit"], ou=[ou]))
    for domain in DOMAINS:
        entries.append(_entry(f"dc={domain},ou=Domains,{SUFFIX}", objectClass=["dNSDomain"],
                              dc=[domain]))
    return entries


def mailbox(i: int, rng: random.Random) -> Entry:
    domain = DOMAINS[i % len(DOMAINS)]
    aliases = [f"alias{i}.{n}@{DOMAINS[(i + n) % len(DOMAINS)]}" for n in range(rng.randint(0, 3))]
    attrs = dict(objectClass=["inetOrgPerson", "PostfixBookMailAccount"], uid=[f"user{i}"],
                 cn=[f"User {i}"], sn=[f"User{i}"], mail=[f"user{i}@{domain}"],
                 mailEnabled=["TRUE"], mailHomeDirectory=[f"/srv/vmail/{domain}/user{i}"])
    if aliases:
        attrs["mailAlias"] = aliases
    return _entry(f"uid=user{i},ou=Mail,{SUFFIX}", **attrs)


def forward(i: int, rng: random.Random) -> Entry:
    # An existing mailbox (index % 5 < 3), so the forward is valid under the mail policies.
    k = rng.randrange(max(i // 5, 1)) * 5
    target = f"user{k}@{DOMAINS[k % len(DOMAINS)]}"
    return _entry(f"cn=fwd{i},ou=people,{SUFFIX}",
                  objectClass=["inetOrgPerson", "mailRecipient"], cn=[f"fwd{i}"], sn=["Forward"],
                  mailAlternateAddress=[f"old{i}@{DOMAINS[i % len(DOMAINS)]}"],
                  mailForwardingAddress=[target])


def entries(count: int, seed: int = 1) -> list[Entry]:
    rng = random.Random(seed)
    out = skeleton()
    for i in range(count - len(out)):
        out.append(mailbox(i, rng) if i % 5 < 3 else forward(i, rng))
    return out


def generate(root: Path, count: int) -> Path:
    """Write and commit the repo (once; an existing one is reused)."""
    if (root / ".git").is_dir():
        return root
    schema = build_schema()
    root.mkdir(parents=True)
    (root / "ldifctl.yaml").write_text(CONFIG)
    for entry in entries(count):
        path = root / "directory" / entry_paths.to_relpath(entry.dn)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_entry(entry, schema))
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", f"{count} entries"]):
        subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=b@x.invalid", *args],
                       cwd=root, check=True)
    return root


if __name__ == "__main__":
    generate(Path(sys.argv[1]), int(sys.argv[2]))
