"""schema/unknown-attribute and schema/binary-option: a type no server knows (a typo) and
`;binary` on a type slapd does not transfer in binary passed `validate`, and the server
refused them mid-apply. Against the real servers: test_attribute_spellings_servers.py, and
tests/model/test_stock_types.py for the lists the check reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from repo_kit import USER, USER_YAML, base_repo, run

from ldifctl.model.findings import Finding
from ldifctl.model.schema import AttributeType, Schema, build_schema
from ldifctl.model.snapshot import Entry, Origin
from ldifctl.policy import attribute_types
from ldifctl.policy.attribute_types import BINARY_RULE, UNKNOWN_RULE, AttributeTypes
from ldifctl.policy.structure import STRUCTURE_RULES, entry_checks

SCHEMA = build_schema()
DN = "cn=user.example,ou=people,dc=example,dc=net"
FILE = "directory/dc=net/dc=example/ou=people/cn=user.example.yaml"
MAILBOX = (b"inetOrgPerson", b"mailRecipient", b"PostfixBookMailAccount")
NEITHER = (
    "is an attribute type neither slapd nor 389-DS defines out of the box (nor their shipped "
    "schema files and modules)"
)


def declare(written: str) -> str:
    return (
        "fix the name, or declare your site's own type under attributes: in ldifctl.yaml, "
        f"with its equality rule ({{{written}: {{equality: caseIgnoreMatch}}}}, say)"
    )


def entry(**attrs: str) -> Entry:
    values = {"objectClass": MAILBOX, "cn": (b"user.example",), "mail": (b"a@domain.ro",)}
    values |= {k: (v.encode(),) for k, v in attrs.items()}
    lines = {name.lower(): n for n, name in enumerate(values, start=2)}
    return Entry(DN, values, Origin(FILE, 1, lines))


def found(checked: Entry, schema: Schema = SCHEMA) -> list[tuple[str, str]]:
    return [(f.rule, f.message) for f in AttributeTypes(schema)(checked)]


def unknown(written: str, close: str | None) -> tuple[str, str]:
    hint = f" (did you mean {close}?)" if close else ""
    message = f"{written} {NEITHER}{hint}: {declare(written)}"
    return UNKNOWN_RULE, message


def binary(name: str, type_name: str, fixed: str) -> tuple[str, str]:
    return BINARY_RULE, (
        f"{name}: slapd takes the ;binary transfer option only on types whose values are "
        "certificates and the like (userCertificate, cACertificate, "
        f"certificateRevocationList, ...), and refuses it on {type_name} (Undefined "
        f"attribute type, 17), where 389-DS keeps it as an attribute apart from {type_name}: "
        f"on slapd write {fixed}; on 389-DS keep it if clients read it so"
    )


def test_a_misspelt_type_is_an_error_at_its_line_naming_the_type_meant() -> None:
    assert AttributeTypes(SCHEMA)(entry(mailAlais="x@domain.ro")) == [
        Finding(
            f"{FILE}:5",
            "schema/unknown-attribute",
            "error",
            DN,
            f"mailAlais {NEITHER} (did you mean mailAlias?): {declare('mailAlais')}",
        )
    ]


@pytest.mark.parametrize(
    ("written", "close"),
    [
        ("mailForwardingAdress", "mailForwardingAddress"),  # a letter left out
        ("mailAlternateAddresss", "mailAlternateAddress"),  # one doubled
        ("MAILALAIS", "mailAlias"),  # two swapped, in any case
        ("mailHots", "mailHost"),
        ("surnme", "sn"),  # an alias is close: the type is named as fmt writes it
        ("givenNam", "givenName"),
        ("siteNumber", None),  # nothing close: no guess
        ("x" * 5000, None),  # longer than any name: not compared
    ],
)
def test_the_closest_known_name_is_suggested(written: str, close: str | None) -> None:
    assert found(entry(**{written: "x"})) == [unknown(written, close)]


def test_options_are_left_out_of_the_type_named() -> None:
    assert found(entry(**{"mailAlais;lang-de": "x"})) == [unknown("mailAlais", "mailAlias")]


@pytest.mark.parametrize(
    "name",
    [
        "x500UniqueIdentifier",  # slapd's core schema, inetOrgPerson's MAY: not modelled
        "memberURL",  # 389's, and Debian's dyngroup for slapd
        "nsSizeLimit",  # 389's operational, written on any entry
        "mailLocalAddress",  # Debian's misc schema, which a slapd site may load
        "c-l",  # Debian's collective schema
        "entryUUID",  # operational
        "userPassword",  # a secret: never written
        # Shipped, not loaded by default: slapd's modules (ppolicy, accesslog, otp), 389's
        # 60qmail and 60radius. By OID (RFC 2253's `OID.` too), modelled by ldifctl or not.
        *"pwdMaxIdle pwdCheckModuleArg pwdStartTime reqDN oathSecret qmailUID".split(),
        "radiusFramedIPAddress", "2.5.4.65", "OID.2.5.4.65", "2.5.18.1", "1.3.6.1.1.16.4",
    ],
)
def test_types_a_server_knows_are_not_unknown(name: str) -> None:
    assert found(entry(**{name: "x"})) == []


def test_a_type_declared_or_ignored_in_ldifctl_yaml_is_the_site_s_own() -> None:
    declared = build_schema({"sitenumber": AttributeType("siteNumber", "integerMatch")})
    assert found(entry(siteNumber="7"), declared) == []
    assert found(entry(siteLastLogin="x"), build_schema(ignore=["siteLastLogin"])) == []


@pytest.mark.parametrize(
    ("name", "type_name", "fixed"),
    [
        ("cn;binary", "cn", "cn"),
        ("mail;binary", "mail", "mail"),
        ("mailAlternateAddress;binary", "mailAlternateAddress", "mailAlternateAddress"),
        ("userSMIMECertificate;binary", "userSMIMECertificate", "userSMIMECertificate"),
        ("jpegPhoto;binary", "jpegPhoto", "jpegPhoto"),
        ("description;binary;lang-de", "description", "description;lang-de"),
        ("x500UniqueIdentifier;binary", "x500UniqueIdentifier", "x500UniqueIdentifier"),
        ("2.5.4.3;binary", "cn", "cn"),  # by OID: one ldifctl models
        ("2.5.4.65;binary", "2.5.4.65", "2.5.4.65"),  # and one it does not (pseudonym)
    ],
)
def test_binary_on_a_type_not_transferred_in_binary_is_an_error(
    name: str, type_name: str, fixed: str
) -> None:
    assert found(entry(**{name: "x"})) == [binary(name, type_name, fixed)]


@pytest.mark.parametrize(
    "name",
    [
        "userCertificate;binary", "cACertificate;binary", "certificateRevocationList;binary",
        "authorityRevocationList;binary", "deltaRevocationList;binary",
        "crossCertificatePair;binary", "supportedAlgorithms;binary", "pKCS8PrivateKey;binary",
        # By OID: cACertificate's, and pKCS8PrivateKey's, which ldifctl does not model.
        "2.5.4.37;binary", "1.3.6.1.4.1.4203.666.1.60;binary",
        # Only slapd refuses the option: on a type it does not know at all, it refuses the
        # type (a site's own, declared; 389's nsAccountLock), and 389-DS takes either.
        "nsAccountLock;binary",
    ],
)
def test_binary_where_slapd_takes_it_or_cannot_be_asked(name: str) -> None:
    assert found(entry(**{name: "x"})) == []


def test_binary_on_an_unknown_type_is_said_once() -> None:
    assert found(entry(**{"mailAlais;binary": "x"})) == [unknown("mailAlais", "mailAlias")]


def test_each_attribute_is_one_finding_of_the_entry_checks() -> None:
    """schema/allowed-attributes judges known types only: a typo on an entry whose
    classes allow no such type is said once, by this rule."""
    assert {UNKNOWN_RULE, BINARY_RULE} <= STRUCTURE_RULES
    person = Entry(DN, {"objectClass": (b"person",), "cn": (b"user.example",), "sn": (b"u",),
                        "mailAlais": (b"x",), "cn;binary": (b"x",)},
                   Origin(FILE, 1, {"mailalais": 5, "cn;binary": 6}))
    checked = entry_checks(SCHEMA)(person)
    assert [(f.where, f.rule) for f in checked] == [
        (f"{FILE}:5", UNKNOWN_RULE), (f"{FILE}:6", BINARY_RULE)
    ]


def test_each_spelling_is_judged_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """100k entries spell a few hundred attributes: each entry costs a set test."""
    check = AttributeTypes(SCHEMA)
    judged: list[str] = []
    real = check._judged

    def judge(name: str) -> tuple[str, str] | None:
        judged.append(name)
        return real(name)

    monkeypatch.setattr(check, "_judged", judge)
    for n in range(3000):
        assert len(check(entry(description=f"{n}", mailAlais="x", **{"cn;binary": "x"}))) == 2
    assert sorted(judged) == sorted(["objectClass", "cn", "mail", "description", "mailAlais",
                                     "cn;binary"])


def test_the_answers_kept_are_bounded() -> None:
    check = AttributeTypes(SCHEMA)
    for n in range(attribute_types.MAX_SPELLINGS + 10):
        check(Entry(DN, {f"t{n}": (b"x",)}))
    assert len(check._fine) + len(check._problems) <= attribute_types.MAX_SPELLINGS + 1


def test_validate_and_plan_refuse_them_at_their_lines(tmp_path: Path) -> None:
    repo = base_repo(tmp_path / "repo")
    repo.write(USER, USER_YAML)
    repo.commit("the user")  # plan's base
    repo.write(USER, USER_YAML + "mailForwardingAdress: a@domain.ro\ncn;binary: x\n")
    said = [
        f"{FILE}:8: error [schema/unknown-attribute] mailForwardingAdress {NEITHER} (did you "
        f"mean mailForwardingAddress?): {declare('mailForwardingAdress')}",
        f"{FILE}:9: warning [schema/binary-option] {binary('cn;binary', 'cn', 'cn')[1]}",
    ]
    for command in ("validate", "plan"):
        code, out, err = run(repo, command)
        assert (code, out) == (1, ""), err
        assert all(line in err.splitlines() for line in said), err
    # The option alone is a warning: 389-DS holds such values rightly.
    repo.write(USER, USER_YAML + "cn;binary: x\n")
    code, _, err = run(repo, "validate")
    assert (code, err.splitlines()[0]) == (0, said[1].replace(":9:", ":8:")), err


def test_a_diff_of_ldif_files_refuses_them_at_the_record(tmp_path: Path) -> None:
    """An LDIF record has one line: the finding names the record's."""
    repo = base_repo(tmp_path / "repo")
    old, new = tmp_path / "old.ldif", tmp_path / "new.ldif"
    base = "dn: dc=example,dc=net\nobjectClass: domain\ndc: example\n\n"
    person = "dn: cn=a,dc=example,dc=net\nobjectClass: person\ncn: a\nsn: s\n"
    old.write_text(base + person)
    new.write_text(base + person + "mail;binary: a@b\ndescrption: d\n")
    code, out, err = run(repo, "diff", str(old), str(new))
    assert (code, out) == (1, ""), err
    assert f"{new}:5: warning [schema/binary-option] mail;binary: slapd takes" in err
    assert (
        f"{new}:5: error [schema/unknown-attribute] descrption {NEITHER} (did you mean "
        f"description?): {declare('descrption')}\n"
    ) in err


def test_an_entry_of_many_unknown_types_says_the_first_and_counts_the_rest() -> None:
    """A hostile file of 100k distinct misspellings: every one judged (a set test each),
    16 said, the rest counted; the closest names looked for only for the first 256 a
    process meets (difflib is what costs)."""
    check = AttributeTypes(SCHEMA)
    names = [f"mailAlia{chr(97 + i % 26)}{i}" for i in range(300)]
    said = check(entry(**dict.fromkeys(names, "x")))
    assert [f.message for f in said[:16]] == [unknown(n, None)[1] for n in names[:16]]
    assert said[16] == Finding(
        f"{FILE}:1", UNKNOWN_RULE, "error", DN,
        "and 284 more attributes of this entry that no server takes as written, not listed "
        "one by one: fix the ones above first",
    )
    assert len(said) == 17
    fresh = AttributeTypes(SCHEMA)
    for name in names[:256]:
        fresh(entry(**{name: "x"}))
    assert found(entry(mailAlais="x")) == [unknown("mailAlais", "mailAlias")]
    assert [(f.rule, f.message) for f in fresh(entry(mailAlais="x"))] == [
        unknown("mailAlais", None)
    ]
