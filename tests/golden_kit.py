"""The seed scenarios of the 389 forwarding guide (base and head files), and their golden
LDIF files in tests/golden/: `plan` prints them (diff/test_golden.py), `apply` sends them
(live/test_live_apply.py)."""

from __future__ import annotations

from pathlib import Path

from repo_kit import USER
from repo_kit import USER_YAML as HEAD

GOLDEN = Path(__file__).parent / "golden"
FORWARD = HEAD + """\
mailAlternateAddress: old.address@domain.com
mailForwardingAddress: new.address@domain.ro
"""
CENTRAL = """\
dn: cn=central,ou=people,dc=example,dc=net
objectClass:
  - inetOrgPerson
  - mailRecipient
cn: central
mail: central@company.com
mailAlternateAddress:
  - info@company.com
  - sales@company.com
  - support@company.com
mailForwardingAddress: central@company.com
sn: Central
"""

# name -> (base files, head files): DN -> YAML text (None: no such file)
SCENARIOS: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "forward-add": ({USER: HEAD}, {USER: FORWARD}),
    "forward-replace": (
        {USER: FORWARD},
        {USER: FORWARD.replace("mailForwardingAddress: new.address", "mailForwardingAddress: x")},
    ),
    "forward-remove": ({USER: FORWARD}, {USER: FORWARD.replace(
        "mailForwardingAddress: new.address@domain.ro\n", "")}),
    "several-aliases": ({}, {CENTRAL.split("\n")[0][4:]: CENTRAL}),
    "alias-moved": (
        {USER: FORWARD, "cn=central,ou=people,dc=example,dc=net": CENTRAL},
        {USER: FORWARD.replace("old.address@domain.com", "\n  - old.address@domain.com\n"
                               "  - Sales@company.com"),
         "cn=central,ou=people,dc=example,dc=net": CENTRAL.replace("  - sales@company.com\n", "")},
    ),
    "rename": ({USER: FORWARD}, {"cn=new.example,ou=people,dc=example,dc=net": FORWARD.replace(
        "cn=user.example", "cn=new.example").replace("cn: user.example", "cn: new.example")}),
}
