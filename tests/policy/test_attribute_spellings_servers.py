"""What `validate` refuses as schema/unknown-attribute and schema/binary-option is what
the servers refuse, and the entry fixed is one both take: `validate` called these
entries valid, and `apply` stopped mid-run at them."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
import servers
from live_kit import PEOPLE_DN, is_389, ldifctl, live_repo
from repo_kit import USER, USER_YAML, DirectoryRepo

FILE = "directory/dc=net/dc=example/ou=people/cn=user.example.yaml"
# A self-signed certificate (DER), for the one kind of type that takes `;binary`.
CERTIFICATE = base64.b64decode(
    "MIIBhTCCASugAwIBAgIUHgP8P/hqasYsUG8yxha8MAfvQNYwCgYIKoZIzj0EAwIwFzEVMBMGA1UEAwwMdXNlci5l"
    "eGFtcGxlMCAXDTI2MTIwNzIwMTg0N1oYDzIxMjYxMTEzMjAxODQ3WjAXMRUwEwYDVQQDDAx1c2VyLmV4YW1wbGUw"
    "WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAS4YJenc+wwmAl5pw+9wojU8djphAAimlqeK8Ogh+oRHkoehB1hSq5w"
    "FZ3lMPbcC92ANnpPFJ7bJ8pvYD6IMca7o1MwUTAdBgNVHQ4EFgQUyzq74mDWQmwZWphhAhUWbDozhzIwHwYDVR0j"
    "BBgwFoAUyzq74mDWQmwZWphhAhUWbDozhzIwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEAybU8"
    "yoq5OkLqP8Ur8stcLwZlb0Mqb9XSh6hCOGMn4JsCIGKDqfVkykkO6SqgooaUdZTbQja1US6hZwdoNlntyc6Y"
)
FIXED = USER_YAML + (
    "mailForwardingAddress: new.address@domain.ro\n"
    f"userCertificate;binary: !!binary {base64.b64encode(CERTIFICATE).decode()}\n"
)
TYPO = USER_YAML + "mailForwardingAdress: new.address@domain.ro\n"
BINARY = USER_YAML + "cn;binary: user.example\n"


def exported(repo: DirectoryRepo, entry: str, finding: str) -> str:
    """The export of the repo with `entry`, of which `validate` says `finding` (refusing
    it for an error, passing it for a warning)."""
    repo.write(USER, entry)
    code, out, err = ldifctl(repo, "validate")
    assert (code, out) == (int(finding.startswith("error")), ""), err
    assert f"{FILE}:8: {finding}\n" in err
    code, text, err = ldifctl(repo, "export")
    assert code == 0, err
    return text


# What validate says of each entry, and what each server says of it (None: it takes it).
CASES: dict[str, tuple[str, str, dict[str, str | None]]] = {
    "a misspelt type": (TYPO, (
        "error [schema/unknown-attribute] mailForwardingAdress is an attribute type neither "
        "slapd nor 389-DS defines out of the box (nor their shipped schema files and "
        "modules) (did you mean mailForwardingAddress?): fix the name, or declare your "
        "site's own type under attributes: in ldifctl.yaml, with its equality rule "
        "({mailForwardingAdress: {equality: caseIgnoreMatch}}, say)"
    ), {
        "slapd": "17: .*mailForwardingAdress: attribute type undefined",
        "ds389": '65: .*attribute "mailforwardingadress" not allowed',
    }),
    "binary on cn": (BINARY, (
        "warning [schema/binary-option] cn;binary: slapd takes the ;binary transfer option "
        "only on types whose values are certificates and the like (userCertificate, "
        "cACertificate, certificateRevocationList, ...), and refuses it on cn (Undefined "
        "attribute type, 17), where 389-DS keeps it as an attribute apart from cn: on slapd "
        "write cn; on 389-DS keep it if clients read it so"
    ), {
        "slapd": "17: .*" + re.escape('cn;binary: option "binary" not supported with type'),
        "ds389": None,
    }),
}


@pytest.fixture
def repo(tmp_path: Path, server: servers.LdapServer) -> DirectoryRepo:
    return live_repo(tmp_path / "repo", server)


@pytest.mark.parametrize("case", CASES)
def test_validate_says_what_the_server_refuses(
    repo: DirectoryRepo, server: servers.LdapServer, case: str
) -> None:
    entry, finding, refusals = CASES[case]
    text = exported(repo, entry, finding)
    refusal = refusals["ds389" if is_389(server) else "slapd"]
    if refusal is None:
        # 389-DS takes `;binary` on any type, as an attribute of its own beside cn: the
        # servers would hold other entries.
        server.ldapadd(text)
        held = server.search_all(PEOPLE_DN)[USER]
        assert (held["cn"], held["cn;binary"]) == ([b"user.example"], [b"user.example"])
        return
    with pytest.raises(servers.ServerError, match=f"(?s)ldapadd exited {refusal}"):
        server.ldapadd(text)
    assert USER not in server.search_all(PEOPLE_DN)


def test_the_entry_fixed_validates_and_both_servers_take_it(
    repo: DirectoryRepo, server: servers.LdapServer
) -> None:
    """`;binary` where it belongs (a certificate) passes, as the servers take it."""
    repo.write(USER, FIXED)
    code, out, err = ldifctl(repo, "validate")
    assert (code, out) == (0, ""), err
    code, text, err = ldifctl(repo, "export")
    assert code == 0, err
    server.ldapadd(text)
    held = server.search_all(PEOPLE_DN)[USER]
    assert held["mailForwardingAddress"] == [b"new.address@domain.ro"]
    assert held["userCertificate;binary"] == [CERTIFICATE]
