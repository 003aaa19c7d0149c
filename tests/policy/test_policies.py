"""Policy files, every built-in rule, custom rules, and where rules run (validate, plan)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mail_kit import MAIL, example_repo, load, mail_repo, person
from repo_kit import DirectoryRepo, run

from ldifctl.model.errors import LdifctlError
from ldifctl.policy.engine import check
from ldifctl.policy.files import load_policies

PEOPLE = "directory/dc=net/dc=example/ou=people"


def findings(repo: DirectoryRepo, policy: str = "") -> list[str]:
    snapshot, mail = load(repo)
    policies = load_policies([("policies/site.yaml", policy.encode())] if policy else [])
    return [f.text() for f in check(snapshot, mail, policies)]


def policy_error(*files: str) -> str:
    with pytest.raises(LdifctlError) as err:
        load_policies([(f"policies/{i}.yaml", text.encode()) for i, text in enumerate(files)])
    return str(err.value)


# --- Policy files.


def test_built_in_rules_are_on_as_errors_without_any_file() -> None:
    rules = load_policies([]).rules
    assert sorted(rules) == [
        "address-syntax",
        "dangling-forward",
        "forbidden-attributes",
        "hosted-domain",
        "no-forward-loops",
        "no-self-forward",
        "required-attributes",
        "unique-aliases",
    ]
    assert {r.severity for r in rules.values()} == {"error"}
    assert rules["forbidden-attributes"].params == {"attributes": ("userPassword",)}


def test_files_merge_in_order_and_a_later_key_wins_parameter_by_parameter() -> None:
    first = "rules:\n  forbidden-attributes:\n    severity: warning\n    attributes: [x]\n"
    second = "rules:\n  forbidden-attributes: error\n  dangling-forward: off\n"
    merged = load_policies(
        [("policies/a.yaml", first.encode()), ("policies/b.yaml", second.encode())]
    )
    rule = merged.rules["forbidden-attributes"]
    assert (rule.severity, rule.params) == ("error", {"attributes": ("x",)})
    assert "dangling-forward" not in {r.id for r in merged.active()}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "rules:\n  no-self-forwards: error\n",
            "policies/0.yaml:2: unknown rule id "
            "'no-self-forwards' in rules (did you mean 'no-self-forward'?): use one of "
            "address-syntax, dangling-forward, forbidden-attributes, hosted-domain, "
            "no-forward-loops, no-self-forward, required-attributes, unique-aliases",
        ),
        (
            "rules:\n  forbidden-attributes:\n    attribute: [x]\n",
            "policies/0.yaml:3: unknown "
            "parameter 'attribute' in rules.forbidden-attributes (did you mean 'attributes'?): use "
            "one of attributes, severity",
        ),
        (
            "rules:\n  unique-aliases: fatal\n",
            "policies/0.yaml:2: severity must be error, warning or off, got 'fatal'",
        ),
        (
            "rule:\n  unique-aliases: off\n",
            "policies/0.yaml:1: unknown key 'rule' in a policy file "
            "(did you mean 'rules'?): use one of custom, rules",
        ),
        (
            "rules:\n  forbidden-attributes:\n    attributes: [user password]\n",
            "policies/0.yaml:3: 'user password' is not an attribute name",
        ),
        (
            "custom:\n  q:\n    kind: pattern\n    attribute: mailQuota\n    pattern: '[0-9'\n",
            "policies/0.yaml:5: custom.q.pattern '[0-9' is not a regular expression RE2 accepts "
            "(missing ]: [0-9): patterns run in linear time with RE2's syntax, which has no "
            "backreferences or lookarounds (see README, custom rules); rewrite it",
        ),
        (
            "custom:\n  q:\n    kind: unique\n    attribute: uid\n    filter: (uid=\n",
            "policies/0.yaml:5: filter: expected ')' at character 6 of (uid=: fix the RFC 4515 "
            "filter",
        ),
        (
            "custom:\n  q:\n    kind: unique\n",
            "policies/0.yaml:2: custom.q: attribute is missing: add it",
        ),
        (
            "custom:\n  q:\n    kind: regex\n",
            "policies/0.yaml:3: custom.q.kind must be one of pattern, unique, got 'regex'",
        ),
        (
            "custom:\n  unique-aliases:\n    kind: unique\n",
            "policies/0.yaml:2: custom rule "
            "'unique-aliases' has the id of a built-in rule: give it another name",
        ),
        (
            "custom:\n  q:\n    kind: unique\n    attribute: uid\n    pattern: x\n",
            "policies/0.yaml:5: unknown parameter 'pattern' in custom.q: use one of attribute, "
            "base, filter, message, severity",
        ),
    ],
)
def test_a_wrong_policy_file_is_an_error_at_its_line(text: str, message: str) -> None:
    assert policy_error(text) == message


def test_a_later_file_may_tune_a_custom_rule_but_not_change_its_kind() -> None:
    defined = "custom:\n  q:\n    kind: unique\n    attribute: uid\n"
    assert (
        load_policies([("a", defined.encode()), ("b", b"rules:\n  q: warning\n")])
        .rules["q"]
        .severity
        == "warning"
    )
    assert policy_error(defined, "custom:\n  q:\n    kind: pattern\n    pattern: x\n") == (
        "policies/1.yaml:3: custom.q was a unique rule in an earlier file: a later file may "
        "change its parameters, not its kind"
    )


def test_policy_files_must_end_in_yaml(tmp_path: Path) -> None:
    repo = example_repo(tmp_path)
    (repo.root / "policies" / "site.yml").write_text("rules: {}\n")
    assert run(repo, "validate")[::2] == (
        1,
        "error: policies/site.yml: policy files end in .yaml: rename it\n",
    )


# --- The routing rules.


def test_no_self_forward(tmp_path: Path) -> None:
    repo = mail_repo(
        tmp_path,
        {
            "loop": person(
                "loop",
                mail="loop@example.org",
                mailAlternateAddress=["old@example.org", "older@example.org"],
                mailForwardingAddress="old@example.org",
            ),
            # A forward to the entry's own mailbox is the normal case, not a self-forward.
            "ok": person(
                "ok",
                mail="ok@example.org",
                mailAlternateAddress="alias@example.org",
                mailForwardingAddress="ok@example.org",
            ),
        },
    )
    assert findings(repo, "rules:\n  dangling-forward: off\n") == [
        f"{PEOPLE}/cn=loop.yaml:10: error [no-self-forward] forwards to old@example.org, one of "
        "its own alias addresses (mailAlternateAddress): mail to it comes straight back to this "
        "entry; forward to the mailbox it should reach, or remove old@example.org from "
        "mailAlternateAddress",
    ]


def test_unique_aliases_across_alias_and_mailbox_tables(tmp_path: Path) -> None:
    repo = mail_repo(
        tmp_path,
        {
            "a": person(
                "a",
                mail="a@example.org",
                mailAlternateAddress="shared@example.org",
                mailForwardingAddress="a@example.org",
            ),
            "b": person("b", mail="b@example.org", mailAlias="shared@example.org"),
            "c": person(
                "c",
                mail="c@example.org",
                mailAlternateAddress="b@example.org",
                mailForwardingAddress="c@example.org",
            ),
        },
    )
    assert findings(repo) == [
        f"{PEOPLE}/cn=a.yaml:7: error [unique-aliases] shared@example.org is also an address of "
        f"cn=b,ou=people,dc=example,dc=net ({PEOPLE}/cn=b.yaml:7): an address may lead to one "
        "entry only; remove it from all but one",
        f"{PEOPLE}/cn=b.yaml:5: error [unique-aliases] b@example.org is also an address of "
        f"cn=c,ou=people,dc=example,dc=net ({PEOPLE}/cn=c.yaml:7): an address may lead to one "
        "entry only; remove it from all but one",
        f"{PEOPLE}/cn=b.yaml:7: error [unique-aliases] shared@example.org is also an address of "
        f"cn=a,ou=people,dc=example,dc=net ({PEOPLE}/cn=a.yaml:7): an address may lead to one "
        "entry only; remove it from all but one",
        f"{PEOPLE}/cn=c.yaml:7: error [unique-aliases] b@example.org is also an address of "
        f"cn=b,ou=people,dc=example,dc=net ({PEOPLE}/cn=b.yaml:5): an address may lead to one "
        "entry only; remove it from all but one",
    ]


def chain(*links: tuple[str, str, str]) -> dict[str, str]:
    """People that forward: (cn, alternate address, forwarding address)."""
    return {
        cn: person(cn, mailAlternateAddress=src, mailForwardingAddress=dst)
        for cn, src, dst in links
    }


def test_no_forward_loops_of_any_length(tmp_path: Path) -> None:
    repo = mail_repo(
        tmp_path,
        chain(
            ("a", "a@example.org", "b@example.org"),
            ("b", "b@example.org", "c@example.org"),
            ("c", "c@example.org", "a@example.org"),
            ("d", "d@example.org", "d@example.org"),
        ),
    )
    rules = "rules:\n  dangling-forward: off\n  no-self-forward: off\n"
    assert findings(repo, rules) == [
        f"{PEOPLE}/cn=a.yaml:7: error [no-forward-loops] forwarding loop: a@example.org -> "
        "b@example.org -> c@example.org -> a@example.org; Postfix expands it until its nesting "
        "limit and defers the mail forever: remove one of these forwards",
    ]


def test_a_cycle_through_an_address_that_expands_into_itself_ends_there(tmp_path: Path) -> None:
    # a -> a, b and b -> a: Postfix delivers to a and stops; not a loop.
    repo = mail_repo(
        tmp_path,
        {
            "a": person(
                "a",
                mail="a@example.org",
                mailAlternateAddress="a@example.org",
                mailForwardingAddress=["a@example.org", "b@example.org"],
            ),
            "b": person(
                "b",
                mail="b@example.org",
                mailAlternateAddress="b@example.org",
                mailForwardingAddress="a@example.org",
            ),
        },
    )
    assert findings(repo, "rules:\n  no-self-forward: off\n") == []


def test_a_table_that_cannot_be_read_backwards_is_named(tmp_path: Path) -> None:
    mail = MAIL.replace("(mailAlternateAddress=%s)", "(mailAlternateAddress=*%s)")
    repo = mail_repo(tmp_path, {}, mail=mail)
    assert findings(repo) == [
        "ldifctl.yaml:20: warning [mail-tables] mail.virtual_alias_maps[2]: its query_filter "
        "has no (attribute=%s)-style equality, so ldifctl cannot list the addresses it answers "
        "and the routing rules skip it",
    ]


def test_a_loop_through_catch_alls_is_found(tmp_path: Path) -> None:
    repo = mail_repo(
        tmp_path,
        chain(("all", "@example.org", "@old.org"), ("old", "@old.org", "@example.org")),
        domains=("example.org", "old.org"),
    )
    assert findings(repo, "rules:\n  address-syntax: off\n") == [
        f"{PEOPLE}/cn=all.yaml:7: error [no-forward-loops] forwarding loop: @example.org -> "
        "@old.org -> @example.org; Postfix expands it until its nesting limit and defers the "
        "mail forever: remove one of these forwards",
    ]


def test_dangling_forward_and_hosted_domain(tmp_path: Path) -> None:
    repo = mail_repo(
        tmp_path,
        {
            "a": person(
                "a",
                mail="a@example.org",
                mailAlternateAddress=["x@example.org", "y@else.org"],
                mailForwardingAddress=["nobody@example.org", "someone@gmail.com"],
            ),
        },
    )
    assert findings(repo) == [
        f"{PEOPLE}/cn=a.yaml:10: error [dangling-forward] forwards to nobody@example.org, which "
        "is in the hosted domain example.org but is neither a mailbox nor an alias: mail to it "
        "bounces (User unknown); correct the address or create the mailbox",
        f"{PEOPLE}/cn=a.yaml:7: error [hosted-domain] y@else.org is in else.org, which is not a "
        "hosted domain (no virtual_mailbox_domains table finds it): Postfix does not accept "
        "mail for it; add the domain or correct the address",
    ]


# --- Entry and value rules, and custom rules.


def test_forbidden_and_required_attributes(tmp_path: Path) -> None:
    repo = mail_repo(tmp_path, {"a": person("a", userPassword="{SSHA}x", mailAlias="a@x.org")})
    assert findings(repo, "rules:\n  hosted-domain: off\n  dangling-forward: off\n") == [
        f"{PEOPLE}/cn=a.yaml:2: error [required-attributes] an entry of class "
        "PostfixBookMailAccount needs mail: add it",
        f"{PEOPLE}/cn=a.yaml:5: error [forbidden-attributes] userPassword must not be in the "
        "directory repository: remove it (keep it on the server only)",
    ]


def test_address_syntax(tmp_path: Path) -> None:
    repo = mail_repo(
        tmp_path,
        {
            "a": person(
                "a",
                mail="a@example.org",
                mailAlternateAddress=["john doe@example.org", "@example.org", "x@"],
                mailForwardingAddress=["a@example.org", "b@localhost"],
            ),
        },
    )
    assert findings(repo, "rules:\n  hosted-domain: off\n  dangling-forward: off\n") == [
        f"{PEOPLE}/cn=a.yaml:11: error [address-syntax] mailForwardingAddress 'b@localhost' is not "
        "a mail address ('localhost' is not a domain name): write it as user@example.net",
        f"{PEOPLE}/cn=a.yaml:7: error [address-syntax] mailAlternateAddress 'john doe@example.org'"
        " is not a mail address (it contains whitespace): write it as user@example.net",
        f"{PEOPLE}/cn=a.yaml:7: error [address-syntax] mailAlternateAddress 'x@' is not a mail "
        "address ('' is not a domain name): write it as user@example.net",
    ]


def test_custom_pattern_and_unique_rules(tmp_path: Path) -> None:
    repo = mail_repo(
        tmp_path,
        {
            "a": person("a", mail="a@example.org", uid="same", mailQuota="2 GB"),
            "b": person("b", mail="b@example.org", uid="SAME", mailQuota="2G"),
        },
    )
    policy = (
        "custom:\n"
        "  quota:\n    kind: pattern\n    severity: warning\n    attribute: mailQuota\n"
        "    pattern: '[0-9]+[KMGT]?'\n    filter: (mailQuota=*)\n"
        "  uid:\n    kind: unique\n    attribute: uid\n    base: ou=people,dc=example,dc=net\n"
    )
    assert findings(repo, policy) == [
        f"{PEOPLE}/cn=a.yaml:7: error [uid] uid 'same' is also used by "
        f"cn=b,ou=people,dc=example,dc=net ({PEOPLE}/cn=b.yaml:7): it must be unique in "
        "ou=people,dc=example,dc=net; make them different",
        f"{PEOPLE}/cn=a.yaml:9: warning [quota] mailQuota '2 GB' does not match the quota rule: "
        "make it match [0-9]+[KMGT]?",
        f"{PEOPLE}/cn=b.yaml:7: error [uid] uid 'SAME' is also used by "
        f"cn=a,ou=people,dc=example,dc=net ({PEOPLE}/cn=a.yaml:7): it must be unique in "
        "ou=people,dc=example,dc=net; make them different",
    ]


# --- Where rules run.


def self_forward(repo: DirectoryRepo) -> None:
    repo.write(
        "cn=user.example,ou=people,dc=example,dc=net",
        (
            "dn: cn=user.example,ou=people,dc=example,dc=net\n"
            "objectClass: [inetOrgPerson, mailRecipient]\ncn: user.example\nsn: Example\n"
            "mail: new.address@domain.ro\nmailAlternateAddress: old.address@domain.com\n"
            "mailForwardingAddress: [new.address@domain.ro, old.address@domain.com]\n"
        ),
    )


# It is an alias of the entry itself, not "neither a mailbox nor an alias": no-self-forward
# says what is wrong, dangling-forward does not say it again.
SELF_FORWARD = [
    "directory/dc=net/dc=example/ou=people/cn=user.example.yaml:7: error [no-self-forward] "
    "forwards to old.address@domain.com, one of its own alias addresses (mailAlternateAddress): "
    "mail to it comes straight back to this entry; forward to the mailbox it should reach, or "
    "remove old.address@domain.com from mailAlternateAddress",
]
RELAX = "rules:\n  no-self-forward: warning\n  dangling-forward: off\n"


def test_validate_fails_on_errors_and_passes_warnings(tmp_path: Path) -> None:
    repo = example_repo(tmp_path)
    self_forward(repo)
    summary = "17 entries in directory: 1 error(s)"
    assert run(repo, "validate")[::2] == (1, "\n".join([*SELF_FORWARD, summary]) + "\n")
    (repo.root / "policies" / "zz-local.yaml").write_text(RELAX)
    code, out, _ = run(repo, "validate", "--format", "json")
    assert (code, [(f["rule"], f["severity"]) for f in json.loads(out)]) == (
        0,
        [("no-self-forward", "warning")],
    )


def test_plan_judges_the_head_with_the_policies_of_the_base(tmp_path: Path) -> None:
    repo = example_repo(tmp_path)
    self_forward(repo)
    (repo.root / "policies" / "mail.yaml").write_text(RELAX)
    code, _, err = run(repo, "plan")
    assert code == 1
    assert err.splitlines()[:2] == [
        *SELF_FORWARD,
        "policies: warning [policy-source] this change edits policies/: its findings use the "
        "policies of the base revision (a change cannot relax the rules that judge it); the new "
        "policies apply once it is merged",
    ]
    repo.commit("relax the policy")
    assert run(repo, "plan")[0] == 0  # once merged, the relaxed policy is the base's
    assert run(repo, "plan", "--base", "HEAD~1", "--head", "HEAD")[0] == 1
