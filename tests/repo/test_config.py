"""`ldifctl.yaml` and the environment: defaults, every error message, secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from ldifctl.model.errors import LdifctlError
from ldifctl.model.schema import AttributeType
from ldifctl.repo.settings.config import Config, load_config
from ldifctl.repo.settings.secrets import bind_password
from ldifctl.repo.settings.server import ServerConfig

FULL = """\
base_dn:
  - dc=example,dc=net
  - o=other
directory: ldap
policies: rules
server:
  uri: ldap://ldap.example.net
  start_tls: true
  ca_file: certs/ca.pem
  bind_dn: cn=ldifctl,ou=services,dc=example,dc=net
  timeout: 2.5
ignore_attributes: [memberOf, nsRoleDN]
attributes:
  mailQuota:
    equality: integerMatch
    single_value: true
mail:
  virtual_alias_maps:
    - search_base: ou=people,dc=example,dc=net
      query_filter: (mailAlternateAddress=%s)
      result_attribute: mailForwardingAddress
apply:
  max_delete_percent: '20'
"""


def _load(root: Path, text: str, environ: dict[str, str] | None = None) -> Config:
    (root / "ldifctl.yaml").write_text(text, encoding="utf-8")
    return load_config(root, environ or {})


def _error(root: Path, text: str, environ: dict[str, str] | None = None) -> str:
    with pytest.raises(LdifctlError) as caught:
        _load(root, text, environ)
    return str(caught.value)


def test_minimal_file_and_defaults(tmp_path: Path) -> None:
    config = _load(tmp_path, "base_dn: dc=example,dc=net\n")
    assert config == Config(tmp_path, ("dc=example,dc=net",))
    assert config.server == ServerConfig(tls_require_cert="demand")
    assert config.directory_path == tmp_path / "directory"
    assert config.policies_path == tmp_path / "policies"
    assert config.warnings == ()


def test_every_setting(tmp_path: Path) -> None:
    config = _load(tmp_path, FULL)
    assert config.base_dns == ("dc=example,dc=net", "o=other")
    assert config.directory_path == tmp_path / "ldap"
    assert config.policies_path == tmp_path / "rules"
    assert config.server == ServerConfig(
        uri="ldap://ldap.example.net", start_tls=True, ca_file=tmp_path / "certs/ca.pem",
        bind_dn="cn=ldifctl,ou=services,dc=example,dc=net", timeout=2.5,
    )
    assert config.ignore_attributes == ("memberOf", "nsRoleDN")
    assert config.attributes == (AttributeType("mailQuota", "integerMatch", True),)


@pytest.mark.parametrize(
    ("written", "meant"),
    [("yes", True), ("Yes", True), ("ON", True), ("True", True), ("true", True),
     ("no", False), ("NO", False), ("off", False), ("False", False), ("'false'", False)],
)
def test_booleans_as_yaml_1_1_writes_them(tmp_path: Path, written: str, meant: bool) -> None:
    """`start_tls: yes` was refused: values are read as text, and people write YAML 1.1."""
    uri = "ldap://ldap.example.net" if meant else "ldaps://ldap.example.net"
    config = _load(
        tmp_path,
        f"base_dn: o=x\nserver:\n  uri: {uri}\n  start_tls: {written}\n"
        f"attributes:\n  mailQuota:\n    equality: integerMatch\n    single_value: {written}\n",
    )
    assert config.server.start_tls is meant
    assert config.attributes == (AttributeType("mailQuota", "integerMatch", meant),)


def test_schema_has_the_declared_and_ignored_attributes(tmp_path: Path) -> None:
    schema = _load(tmp_path, FULL).schema()
    assert schema.attribute("MAILQUOTA") == AttributeType("mailQuota", "integerMatch", True)
    assert schema.normalise_value("mailQuota", b" 010") == 10
    assert schema.is_ignored("memberof")
    assert schema.is_ignored("modifyTimestamp")


def test_mail_and_apply_are_kept_with_lines(tmp_path: Path) -> None:
    config = _load(tmp_path, FULL)
    assert config.mail is not None and config.apply is not None
    assert config.mail.value == {
        "virtual_alias_maps": [
            {
                "search_base": "ou=people,dc=example,dc=net",
                "query_filter": "(mailAlternateAddress=%s)",
                "result_attribute": "mailForwardingAddress",
            }
        ]
    }
    assert config.mail.line(("virtual_alias_maps", 0, "search_base")) == 19
    assert config.mail.where == "ldifctl.yaml"
    assert config.apply.value == {"max_delete_percent": "20"}


def test_environment_overrides_uri_and_bind_dn(tmp_path: Path) -> None:
    environ = {"LDIFCTL_URI": "ldaps://other.example.net", "LDIFCTL_BIND_DN": "cn=admin,o=other"}
    config = _load(tmp_path, "base_dn: o=other\nserver:\n  uri: ldap://x\n", environ)
    assert config.server.uri == "ldaps://other.example.net"
    assert config.server.bind_dn == "cn=admin,o=other"


@pytest.mark.parametrize("value", ["allow", "never"])
def test_weak_certificate_checks_are_allowed_but_named(tmp_path: Path, value: str) -> None:
    config = _load(tmp_path, f"base_dn: o=x\nserver:\n  tls_require_cert: {value}\n")
    assert config.server.tls_require_cert == value
    assert config.warnings == (
        f"ldifctl.yaml:3: server.tls_require_cert is {value!r}: the server's certificate is not "
        "verified, so anyone on the network path can pose as the server and read the bind "
        "password; use demand with ca_file",
    )


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LdifctlError) as caught:
        load_config(tmp_path, {})
    assert str(caught.value) == (
        f"ldifctl.yaml not found in {tmp_path}: create ldifctl.yaml (at least "
        "'base_dn: dc=example,dc=net') or run ldifctl from the repository root"
    )


RULES = (
    "booleanMatch, caseExactIA5Match, caseExactMatch, caseIgnoreIA5Match, caseIgnoreListMatch, "
    "caseIgnoreMatch, distinguishedNameMatch, generalizedTimeMatch, integerMatch, none, "
    "numericStringMatch, objectIdentifierMatch, octetStringMatch, telephoneNumberMatch, "
    "uniqueMemberMatch"
)
ERRORS = [
    ("", "ldifctl.yaml:1: base_dn is missing: add 'base_dn: dc=example,dc=net' "
         "(the subtree ldifctl manages)"),
    ("directory: d\n", "ldifctl.yaml:1: base_dn is missing: add 'base_dn: dc=example,dc=net' "
                       "(the subtree ldifctl manages)"),
    ("base_dn: o=x\nbase_dn: o=y\n",
     "ldifctl.yaml:2: duplicate key 'base_dn' (first at line 1): merge the values into one list"),
    ("base_dn: o=x\nserve:\n  uri: ldap://x\n",
     "ldifctl.yaml:2: unknown key 'serve' in ldifctl.yaml (did you mean 'server'?): the allowed "
     "keys are apply, attributes, base_dn, directory, ignore_attributes, mail, policies, server"),
    ("base_dn: o=x\nserver:\n  url: ldap://x\n",
     "ldifctl.yaml:3: unknown key 'url' in server (did you mean 'uri'?): the allowed keys are "
     "bind_dn, ca_file, start_tls, timeout, tls_require_cert, uri"),
    ("base_dn: o=x\nattributes:\n  mailQuota:\n    equality: integerMatch\n    index: eq\n",
     "ldifctl.yaml:5: unknown key 'index' in attributes.mailQuota: the allowed keys are "
     "equality, single_value"),
    ("base_dn: o=x\nserver:\n  bind_password: hunter2\n",
     "ldifctl.yaml:3: server.bind_password: secrets never live in ldifctl.yaml: remove it and "
     "set LDIFCTL_BIND_PASSWORD or LDIFCTL_BIND_PASSWORD_FILE"),
    ("base_dn: o=x\npassword: hunter2\n",
     "ldifctl.yaml:2: password: secrets never live in ldifctl.yaml: remove it and "
     "set LDIFCTL_BIND_PASSWORD or LDIFCTL_BIND_PASSWORD_FILE"),
    ("base_dn: o=x\nmail:\n  maps:\n    - bind_pw: hunter2\n",
     "ldifctl.yaml:4: mail.maps[1].bind_pw: secrets never live in ldifctl.yaml: remove it and "
     "set LDIFCTL_BIND_PASSWORD or LDIFCTL_BIND_PASSWORD_FILE"),
    ("base_dn: example.net\n",
     "ldifctl.yaml:1: base_dn: 'example.net' is not a valid DN: write it like dc=example,dc=net"),
    ("base_dn:\n  - o=x\n  - nope\n",
     "ldifctl.yaml:3: base_dn: 'nope' is not a valid DN: write it like dc=example,dc=net"),
    ("base_dn: []\n", "ldifctl.yaml:1: base_dn must be a DN or a list of DNs"),
    ("base_dn:\n", "ldifctl.yaml:1: base_dn must be a DN or a list of DNs"),
    ("base_dn: {dc: net}\n", "ldifctl.yaml:1: base_dn must be a DN or a list of DNs"),
    ("base_dn:\n  - dc=example,dc=net\n  - OU=People,DC=Example,DC=Net\n",
     "ldifctl.yaml:3: base_dn 'OU=People,DC=Example,DC=Net' overlaps 'dc=example,dc=net' "
     "(line 2): list only the outer one"),
    ("base_dn: o=x\ndirectory: ../elsewhere\n",
     "ldifctl.yaml:2: directory must be a folder inside the repository, outside .git, "
     "written relative to ldifctl.yaml with '/', got '../elsewhere'"),
    ("base_dn: o=x\npolicies: /etc/ldifctl\n",
     "ldifctl.yaml:2: policies must be a folder inside the repository, outside .git, "
     "written relative to ldifctl.yaml with '/', got '/etc/ldifctl'"),
    # .git/config holds the token CI checked out with; .git/hooks, what git runs.
    ("base_dn: o=x\ndirectory: .git\n",
     "ldifctl.yaml:2: directory must be a folder inside the repository, outside .git, "
     "written relative to ldifctl.yaml with '/', got '.git'"),
    ("base_dn: o=x\npolicies: a/.GIT/hooks\n",
     "ldifctl.yaml:2: policies must be a folder inside the repository, outside .git, "
     "written relative to ldifctl.yaml with '/', got 'a/.GIT/hooks'"),
    ("base_dn: o=x\ndirectory: [a]\n", "ldifctl.yaml:2: directory must be a folder name"),
    ("base_dn: o=x\nserver: ldap://x\n",
     "ldifctl.yaml:2: server must be a mapping of bind_dn, ca_file, start_tls, timeout, "
     "tls_require_cert, uri"),
    ("base_dn: o=x\nserver:\n  uri: ldap.example.net\n",
     "ldifctl.yaml:3: server.uri: 'ldap.example.net' is not an LDAP URI: write it like "
     "ldaps://ldap.example.net"),
    ("base_dn: o=x\nserver:\n  start_tls: 'y'\n",
     "ldifctl.yaml:3: server.start_tls must be true or false (or yes/no, on/off), got 'y'"),
    ("base_dn: o=x\nserver:\n  start_tls: [yes]\n",
     "ldifctl.yaml:3: server.start_tls must be true or false (or yes/no, on/off), got a list"),
    ("base_dn: o=x\nserver:\n  uri: ldaps://x\n  start_tls: true\n",
     "ldifctl.yaml:4: server.start_tls is true but the uri 'ldaps://x' is not ldap://: use "
     "ldap:// with start_tls, or ldaps:// without it"),
    ("base_dn: o=x\nserver:\n  bind_dn: admin\n",
     "ldifctl.yaml:3: server.bind_dn: 'admin' is not a valid DN: write it like dc=example,dc=net"),
    ("base_dn: o=x\nserver:\n  tls_require_cert: hard\n",
     "ldifctl.yaml:3: server.tls_require_cert must be one of demand, allow, never, got 'hard'"),
    ("base_dn: o=x\nserver:\n  timeout: soon\n",
     "ldifctl.yaml:3: server.timeout must be a number of seconds above 0, got 'soon'"),
    ("base_dn: o=x\nserver:\n  timeout: 0\n",
     "ldifctl.yaml:3: server.timeout must be a number of seconds above 0, got '0'"),
    ("base_dn: o=x\nignore_attributes: memberOf\n",
     "ldifctl.yaml:2: ignore_attributes must be a list of attribute names"),
    ("base_dn: o=x\nignore_attributes: [memberOf, 'not one']\n",
     "ldifctl.yaml:2: ignore_attributes: 'not one' is not an attribute name"),
    ("base_dn: o=x\nattributes: [mailQuota]\n",
     "ldifctl.yaml:2: attributes must be a mapping of attribute name to "
     "{equality: <matching rule>, single_value: true|false}"),
    ("base_dn: o=x\nattributes:\n  mailQuota:\n    single_value: true\n",
     f"ldifctl.yaml:3: attributes.mailQuota.equality is missing: use one of {RULES}"),
    ("base_dn: o=x\nattributes:\n  mailQuota:\n    equality: intMatch\n",
     "ldifctl.yaml:4: attributes.mailQuota.equality: 'intMatch' is not a matching rule "
     f"ldifctl knows: use one of {RULES}"),
    ("base_dn: o=x\nattributes:\n  mailQuota:\n    equality: integerMatch\n"
     "    single_value: 1\n",
     "ldifctl.yaml:5: attributes.mailQuota.single_value must be true or false (or yes/no, "
     "on/off), got '1'"),
    ("base_dn: o=x\nattributes:\n  mail quota:\n    equality: integerMatch\n",
     "ldifctl.yaml:3: attributes: 'mail quota' is not an attribute name"),
    ("base_dn: o=x\nmail: [a]\n", "ldifctl.yaml:2: mail must be a mapping"),
    ("base_dn: o=x\nserver:\n  timeout: !!float 3\n",
     "ldifctl.yaml:3: tag '!!float' is not supported: remove it (values are text)"),
    ("base_dn: o=x\nserver:\n  bind_dn: !!binary Y249YQ==\n",
     "ldifctl.yaml:3: tag '!!binary' is not supported: remove it (values are text)"),
    ("base_dn: o=x\nserver: {uri: [}\n",
     "ldifctl.yaml:2: malformed YAML: did not find expected node content; fix the YAML syntax"),
]


@pytest.mark.parametrize(("text", "message"), ERRORS)
def test_error_messages(tmp_path: Path, text: str, message: str) -> None:
    assert _error(tmp_path, text) == message


def test_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "ldifctl.yaml").write_bytes(b"base_dn: o=\xe9\n")
    with pytest.raises(LdifctlError) as caught:
        load_config(tmp_path, {})
    assert str(caught.value) == (
        "ldifctl.yaml:1: not UTF-8 (byte 0xe9 at column 12): save the file as UTF-8, "
        "write binary values as !!binary base64"
    )


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"LDIFCTL_URI": "http://x"},
         "LDIFCTL_URI: 'http://x' is not an LDAP URI: write it like ldaps://ldap.example.net "
         "(fix the environment variable)"),
        ({"LDIFCTL_BIND_DN": "admin"},
         "LDIFCTL_BIND_DN: 'admin' is not a valid DN: write it like dc=example,dc=net "
         "(fix the environment variable)"),
    ],
)
def test_environment_errors(tmp_path: Path, environ: dict[str, str], message: str) -> None:
    assert _error(tmp_path, "base_dn: o=x\n", environ) == message


# --- The bind password: only from the environment, read when needed.


def test_no_password() -> None:
    assert bind_password({}) is None
    assert bind_password({"LDIFCTL_BIND_PASSWORD": ""}) is None


def test_password_from_the_variable() -> None:
    assert bind_password({"LDIFCTL_BIND_PASSWORD": "s3cret\n"}) == "s3cret\n"


@pytest.mark.parametrize(("content", "password"), [
    (b"s3cret\n", "s3cret"), (b"s3cret\r\n", "s3cret"), (b"s3cret", "s3cret"),
    (b" s3 cret \n\n", " s3 cret \n"),
])
def test_password_from_a_file(tmp_path: Path, content: bytes, password: str) -> None:
    (tmp_path / "pw").write_bytes(content)
    assert bind_password({"LDIFCTL_BIND_PASSWORD_FILE": str(tmp_path / "pw")}) == password


def _password_error(environ: dict[str, str]) -> str:
    with pytest.raises(LdifctlError) as caught:
        bind_password(environ)
    return str(caught.value)


def test_password_file_errors_never_show_the_content(tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    assert _password_error({"LDIFCTL_BIND_PASSWORD_FILE": str(missing)}) == (
        f"LDIFCTL_BIND_PASSWORD_FILE: cannot read {missing}: No such file or directory"
    )
    assert _password_error({"LDIFCTL_BIND_PASSWORD_FILE": str(tmp_path)}) == (
        f"LDIFCTL_BIND_PASSWORD_FILE: cannot read {tmp_path}: Is a directory"
    )
    (tmp_path / "latin1").write_bytes(b"s\xe9cret\n")
    assert _password_error({"LDIFCTL_BIND_PASSWORD_FILE": str(tmp_path / "latin1")}) == (
        f"LDIFCTL_BIND_PASSWORD_FILE: {tmp_path / 'latin1'} is not UTF-8 text"
    )
    (tmp_path / "empty").write_bytes(b"\n")
    assert _password_error({"LDIFCTL_BIND_PASSWORD_FILE": str(tmp_path / "empty")}) == (
        f"LDIFCTL_BIND_PASSWORD_FILE: {tmp_path / 'empty'} is empty: an empty password is an "
        "anonymous bind; write the password into the file"
    )


def test_both_password_sources_is_an_error(tmp_path: Path) -> None:
    environ = {"LDIFCTL_BIND_PASSWORD": "a", "LDIFCTL_BIND_PASSWORD_FILE": str(tmp_path)}
    assert _password_error(environ) == (
        "both LDIFCTL_BIND_PASSWORD and LDIFCTL_BIND_PASSWORD_FILE are set: unset one"
    )


# --- server.ca_file: the operator's path, or a file of the repository read where it stands.

CA = "base_dn: dc=example,dc=net\nserver:\n  ca_file: {}\n"
LINK_REFUSED = (
    "a symbolic link, not {}: ldifctl never follows a link nor reads another repository's "
    "files; put the real {} here, or remove it"
)


def test_an_absolute_ca_file_is_the_operator_s(tmp_path: Path) -> None:
    assert _load(tmp_path, CA.format("/etc/ssl/certs/ca.pem")).server.ca_file == Path(
        "/etc/ssl/certs/ca.pem"
    )


def test_a_relative_ca_file_is_a_file_of_the_repository(tmp_path: Path) -> None:
    (tmp_path / "certs").mkdir()
    (tmp_path / "certs/ca.pem").write_text("PEM")
    assert _load(tmp_path, CA.format("certs/ca.pem")).server.ca_file == tmp_path / "certs/ca.pem"


def test_a_relative_ca_file_that_is_a_link_is_refused(tmp_path: Path) -> None:
    """A pull request's `ca.pem -> /etc/shadow` (or a CA of its own outside the repo)."""
    (tmp_path / "ca.pem").symlink_to("/etc/shadow")
    assert _error(tmp_path, CA.format("ca.pem")) == (
        "ldifctl.yaml:3: server.ca_file: ca.pem: " + LINK_REFUSED.format("a CA file", "file")
    )


def test_a_relative_ca_file_in_a_linked_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "certs").symlink_to("/etc/ssl/certs")
    assert _error(tmp_path, CA.format("certs/ca.pem")) == (
        "ldifctl.yaml:3: server.ca_file: certs: " + LINK_REFUSED.format("a folder", "folder")
    )


def test_a_relative_ca_file_stays_inside_the_repository(tmp_path: Path) -> None:
    assert _error(tmp_path, CA.format("../outside/ca.pem")) == (
        "ldifctl.yaml:3: server.ca_file: a relative path names a file of this repository, "
        "written relative to ldifctl.yaml with '/' and no '..', got '../outside/ca.pem': give "
        "an absolute path for a file outside it (/etc/ssl/certs/ca.pem)"
    )
