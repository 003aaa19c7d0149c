"""Reading a deployed Postfix (repo/postfix/): main.cf as `postconf -n` reads it, the
ldap: tables its three maps name, and the ldifctl.yaml made from them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ldifctl.model.errors import LdifctlError
from ldifctl.repo.postfix.adopt import adopt
from ldifctl.repo.postfix.conf_file import MAX_BYTES, parse_conf
from ldifctl.repo.postfix.deployed import read_deployed
from ldifctl.repo.postfix.main_cf import read_main_cf
from ldifctl.repo.settings.config import parse_config
from ldifctl.repo.settings.mail import parse_mail

SECRET = "s3cr3t-Pa55"  # a bind_pw value: it must appear nowhere ldifctl writes or says


def table(base: str = "ou=people,dc=example,dc=net", **fields: str) -> str:
    lines = {
        "server_host": "ldap://127.0.0.1:3389", "version": "3", "bind_dn":
        "cn=postfix,dc=example,dc=net", "bind_pw": SECRET, "search_base": base,
        "query_filter": "(mailAlternateAddress=%s)", "result_attribute": "mailForwardingAddress",
    }
    lines.update(fields)
    return "".join(f"{k} = {v}\n" for k, v in lines.items() if v)


def postfix_dir(tmp_path: Path, main_cf: str, **tables: str) -> Path:
    folder = tmp_path / "postfix"
    folder.mkdir()
    for name, text in tables.items():
        (folder / f"{name}.cf").write_text(text)
    (folder / "main.cf").write_text(main_cf.format(d=folder))
    return folder


def made(folder: Path) -> tuple[str, tuple[str, ...]]:
    adopted = adopt(read_deployed(folder), folder, folder)
    return adopted.text, adopted.warnings


# --- main.cf's syntax.


def test_continuation_lines_and_comments_as_postconf_reads_them() -> None:
    text = "# top\na = one,\n  two\n# inside\n\n\tthree\nb=x # not a comment\na2 =\n"
    settings = parse_conf(text, "main.cf")
    assert {k: (v.value, v.line) for k, v in settings.items()} == {
        "a": ("one, two three", 2), "b": ("x # not a comment", 7), "a2": ("", 8),
    }


def test_a_line_that_is_no_setting_is_an_error_at_its_line_that_does_not_quote_it() -> None:
    with pytest.raises(LdifctlError) as err:
        parse_conf(f"bind_dn = cn=x\nbind_pw\n{SECRET}\n", "t.cf")
    assert str(err.value) == (
        "t.cf:2: not a `name = value` line (a line that starts with a space continues the "
        "line above): fix it as postconf would"
    )
    with pytest.raises(LdifctlError, match=r"^t.cf:1: a continuation line"):
        parse_conf(f"  {SECRET}\n", "t.cf")


def test_name_references_expand_as_postfix_expands_them(tmp_path: Path) -> None:
    folder = postfix_dir(tmp_path, "t = /x\nu = $t/y ${{t}}/z $(t)\nv = ${{t?set}} ${{nope?no}}"
                         "${{t:unset}}${{nope:fallback}}\nw = $config_directory\n")
    main = read_main_cf(folder)
    assert [main.get(n).value for n in "uvw"] == [  # type: ignore[union-attr]
        "/x/y /x/z /x", "set fallback", str(folder),
    ]


def test_an_unknown_or_looping_reference_is_an_error_at_its_line(tmp_path: Path) -> None:
    main = read_main_cf(postfix_dir(tmp_path, "a = 1\nb = $myhostname\nc = $d\nd = $c\n"))
    with pytest.raises(LdifctlError) as err:
        main.get("b")
    assert str(err.value) == (
        f"{tmp_path}/postfix/main.cf:2: $myhostname names a parameter main.cf does not set, "
        "and ldifctl does not know Postfix's default for it: set myhostname in main.cf, or "
        "write its value instead"
    )
    with pytest.raises(LdifctlError, match=r"main.cf:\d: the \$name references nest too deep"):
        main.get("c")


def test_references_that_grow_a_value_without_bound_are_an_error(tmp_path: Path) -> None:
    lines = [f"v{i} = " + f"$v{i + 1}" * 16 for i in range(12)] + ["v12 = " + "x" * 64]
    main = read_main_cf(postfix_dir(tmp_path, "\n".join(lines) + "\n"))
    with pytest.raises(LdifctlError, match=rf"main.cf:\d+: the value grows past {MAX_BYTES} "):
        main.get("v0")


# --- The files, as untrusted input.


def test_a_linked_huge_odd_or_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    folder = postfix_dir(tmp_path, "virtual_alias_maps = ldap:{d}/gone.cf\n")
    with pytest.raises(LdifctlError) as err:
        read_deployed(folder)
    assert str(err.value) == (
        f"{folder}/main.cf:1: virtual_alias_maps names ldap:{folder}/gone.cf: "
        f"{folder}/gone.cf: no such file (the ldap_table(5) file of virtual_alias_maps): "
        "check the path"
    )
    (folder / "elsewhere.cf").write_text(table())
    (folder / "gone.cf").symlink_to(folder / "elsewhere.cf")
    with pytest.raises(LdifctlError, match=r"main.cf:1: .*gone.cf: a symbolic link, not the "
                       r"ldap_table\(5\) file of virtual_alias_maps: ldifctl never follows"):
        read_deployed(folder)
    (folder / "gone.cf").unlink()
    os.mkfifo(folder / "gone.cf")  # a FIFO would hang a reader that opens it blindly
    with pytest.raises(LdifctlError, match=r"gone.cf: not a regular file"):
        read_deployed(folder)
    (folder / "gone.cf").unlink()
    (folder / "gone.cf").write_text("# padding\n" * (MAX_BYTES // 10 + 1))
    with pytest.raises(LdifctlError, match=rf"gone.cf: over {MAX_BYTES} bytes"):
        read_deployed(folder)
    (folder / "gone.cf").write_bytes(b"bind_dn = cn=x\nsearch_base = ou=caf\xe9\n")
    with pytest.raises(LdifctlError, match=r"gone.cf:2: not UTF-8 text"):
        read_deployed(folder)


# --- ldifctl.yaml made from them.


def test_the_settings_keep_postfix_order_and_every_field(tmp_path: Path) -> None:
    folder = postfix_dir(
        tmp_path,
        "tables = {d}\nvirtual_mailbox_domains = proxy:ldap:$tables/domains.cf\n"
        "virtual_alias_maps = ldap:${{tables}}/forwards.cf,\n  ldap:$tables/groups.cf\n"
        "recipient_delimiter = +\nvirtual_alias_recursion_limit = 20\n",
        domains=table("ou=Domains,dc=example,dc=net", query_filter="(dc=%s)",
                      result_attribute="dc"),
        forwards=table(scope="one", result_format="%s", domain="h1.test, h2.test"),
        groups=table("ou=groups,dc=example,dc=net", query_filter="(mail=%s)",
                     result_attribute="mailRoutingAddress", special_result_attribute="member",
                     leaf_result_attribute="mail", result_filter="%u@h1.test"),
    )
    text, warnings = made(folder)
    assert SECRET not in text + "".join(warnings)
    mail = parse_mail(parse_config(text.encode(), "ldifctl.yaml", folder, {}).mail)
    shown = [(t.name, t.search_base, t.scope, t.domains, t.result_format) for t in mail.tables()]
    assert shown == [
        ("virtual_mailbox_domains[1]", "ou=Domains,dc=example,dc=net", "sub", (), "%s"),
        ("virtual_alias_maps[1]", "ou=people,dc=example,dc=net", "one", ("h1.test", "h2.test"),
         "%s"),
        ("virtual_alias_maps[2]", "ou=groups,dc=example,dc=net", "sub", (), "%u@h1.test"),
    ]
    assert mail.virtual_alias_maps[1].special_result_attributes == ("member",)
    assert mail.settings.recipient_delimiter == "+"
    assert mail.settings.virtual_alias_recursion_limit == 20
    assert mail.settings.bind_dn == "cn=postfix,dc=example,dc=net"
    assert "base_dn: dc=example,dc=net\n" in text
    assert warnings == (
        f"bind_pw ({folder}/domains.cf:4, {folder}/forwards.cf:4, {folder}/groups.cf:4) not "
        "copied: Postfix's password stays in its .cf files (postfix-maps --with-password "
        "reads it from LDIFCTL_POSTFIX_BIND_PASSWORD)",
    )


@pytest.mark.parametrize(
    ("hosts", "uri"),
    [
        ("ldap://a.test:3389", "ldap://a.test:3389"),
        ("b.test:1389, ldap://a.test", "ldap://b.test:1389 ldap://a.test"),
        ("a.test b.test\nserver_port = 1389", "ldap://a.test:1389 ldap://b.test:1389"),
        ("a.test", "ldap://a.test"),
    ],
)
def test_server_host_forms_become_uris_in_their_order(
    tmp_path: Path, hosts: str, uri: str
) -> None:
    folder = postfix_dir(tmp_path, "virtual_alias_maps = ldap:{d}/t.cf\n",
                         t=table(server_host=hosts, start_tls="yes"))
    text, _ = made(folder)
    config = parse_config(text.encode(), "ldifctl.yaml", folder, {})
    assert config.server.uri == uri
    assert config.server.start_tls is True
    assert config.server.tls_require_cert == "demand"  # never lowered to Postfix's "no"


def test_tls_settings_carry_over_and_what_cannot_be_modelled_is_named(tmp_path: Path) -> None:
    folder = postfix_dir(
        tmp_path, "virtual_mailbox_maps = ldap:{d}/t.cf hash:/etc/postfix/vmailbox\n"
        "virtual_alias_maps = ldap:{d}/u.cf\n",
        t=table(start_tls="yes", tls_require_cert="yes", tls_ca_cert_file="/etc/ssl/ca.pem",
                server_host="ldap://ldap.example.net", dereference="3"),
        u=table(server_host="ldap://other.example.net", bind_dn="cn=other,dc=example,dc=net"),
    )
    text, warnings = made(folder)
    config = parse_config(text.encode(), "ldifctl.yaml", folder, {})
    assert (config.server.uri, config.server.tls_require_cert, config.server.ca_file) == (
        "ldap://ldap.example.net", "demand", Path("/etc/ssl/ca.pem"),
    )
    assert warnings[:5] == (
        f"{folder}/u.cf:1: server_host names other servers than {folder}/t.cf:1: ldifctl has "
        "one server, and took the first table's",
        f"{folder}/u.cf:3: bind_dn differs from {folder}/t.cf:3: ldifctl has one server and "
        "one account for Postfix, and took the first table's",
        f"{folder}/u.cf: start_tls differs from {folder}/t.cf:8: ldifctl has one server and "
        "one account for Postfix, and took the first table's",
        f"{folder}/u.cf: tls_require_cert differs from {folder}/t.cf:9: ldifctl has one server "
        "and one account for Postfix, and took the first table's",
        f"{folder}/u.cf: tls_ca_cert_file differs from {folder}/t.cf:10: ldifctl has one "
        "server and one account for Postfix, and took the first table's",
    )
    assert warnings[5:7] == (
        f"{folder}/main.cf:1: virtual_mailbox_maps names hash:/etc/postfix/vmailbox, which is "
        "no ldap: table file: ldifctl cannot route through it",
        f"{folder}/t.cf:11: dereference: ldifctl cannot model this field",
    )


def test_a_sasl_bind_is_named_not_carried_over(tmp_path: Path) -> None:
    folder = postfix_dir(tmp_path, "virtual_alias_maps = ldap:{d}/t.cf\n",
                         t=table(bind="sasl"))
    text, warnings = made(folder)
    assert "bind_dn" not in text.partition("\nmail:\n")[2]
    assert warnings[0] == (
        f"{folder}/t.cf:8: bind = sasl: ldifctl models a simple bind only, so Postfix's "
        "account is not carried over (set mail.bind_dn by hand)"
    )


def test_search_bases_without_a_common_suffix_are_an_error(tmp_path: Path) -> None:
    folder = postfix_dir(tmp_path, "virtual_alias_maps = ldap:{d}/t.cf ldap:{d}/u.cf\n",
                         t=table("ou=a,dc=example,dc=net"), u=table("ou=b,dc=example,dc=org"))
    with pytest.raises(LdifctlError, match=r"^the search bases of the tables share no suffix: "
                       r".*t.cf:5; .*u.cf:5: ldifctl manages one subtree"):
        made(folder)


def test_a_table_ldifctl_cannot_use_is_an_error_naming_its_file(tmp_path: Path) -> None:
    folder = postfix_dir(tmp_path, "virtual_alias_maps = ldap:{d}/t.cf\n",
                         t=table(query_filter="(mail=x)"))
    with pytest.raises(LdifctlError) as err:
        made(folder)
    assert "mail.virtual_alias_maps[1].query_filter has no %s" in str(err.value)
    assert str(err.value).endswith(f"(mail.virtual_alias_maps[1] is {folder}/t.cf)")
    assert SECRET not in str(err.value)
