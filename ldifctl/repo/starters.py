"""The files `ldifctl init` writes beside `ldifctl.yaml`, and the commented `ldifctl.yaml`
starters for the two seed setups (postfix-book on OpenLDAP, 50ns-mail on 389-DS)."""

from __future__ import annotations

from ldifctl import __version__

SETUPS = ("postfix-book", "389-ds")

_HEADER = """\
# ldifctl settings (README: ldifctl.yaml). Never put secrets here: the bind password
# comes from LDIFCTL_BIND_PASSWORD or the file named by LDIFCTL_BIND_PASSWORD_FILE.
base_dn: dc=example,dc=net          # the subtree ldifctl manages
directory: directory
policies: policies
server:
  uri: ldap://ldap.example.net      # or ldaps://..., several separated by spaces
  start_tls: true
  # ca_file: /etc/ssl/certs/ca.pem
  bind_dn: cn=admin,dc=example,dc=net   # the account ldifctl writes as (apply)
# Postfix's lookup tables, as in its ldap_table(5) .cf files (README: Mail routing).
mail:
  bind_dn: cn=postfix,ou=services,dc=example,dc=net  # Postfix's read-only account
  # recipient_delimiter: '+'
"""

_POSTFIX_BOOK = """\
  # postfix-book on OpenLDAP: domains are dNSDomain entries, mailboxes inetOrgPerson with
  # mail, aliases mailAlias on PostfixBookMailAccount.
  virtual_mailbox_domains:
    - search_base: ou=Domains,dc=example,dc=net
      query_filter: (&(objectClass=dNSDomain)(dc=%s))
      result_attribute: dc
  virtual_mailbox_maps:
    - search_base: ou=Mail,dc=example,dc=net
      query_filter: (&(objectClass=inetOrgPerson)(mail=%s))
      result_attribute: mail
  virtual_alias_maps:
    - search_base: ou=Mail,dc=example,dc=net
      query_filter: (&(objectClass=PostfixBookMailAccount)(mailAlias=%s))
      result_attribute: mail
"""

_DS389 = """\
  # 389-DS's 50ns-mail: an old address (mailAlternateAddress) forwards to
  # mailForwardingAddress; mailboxes are the people's mail.
  virtual_mailbox_maps:
    - search_base: ou=people,dc=example,dc=net
      query_filter: (mail=%s)
      result_attribute: mail
  virtual_alias_maps:
    - search_base: ou=people,dc=example,dc=net
      query_filter: (mailAlternateAddress=%s)
      result_attribute: mailForwardingAddress
"""

POLICIES = """\
# Mail policies (README: Mail policies). Every built-in rule is on with severity `error`
# unless a policy file says otherwise; this file spells them out. Files in policies/ merge
# in file-name order and a later key wins. `plan` judges a change with the policies of its
# base revision. A rule is `error`, `warning` or `off`.
rules:
  no-self-forward: error
  unique-aliases: error
  no-forward-loops: error
  dangling-forward: error
  hosted-domain: error
  address-syntax: error
  forbidden-attributes:
    severity: error
    attributes: [userPassword]
"""

GITIGNORE = """\
# ldifctl's cache lives in .git/ldifctl/; these are what its commands write beside the repo:
# apply's reports (apply.report_dir), postfix-maps' files (they may hold bind_pw), CI's files.
/.ldifctl/
/postfix/
/apply-report/
/plan.json
/plan.md
/drift.md
"""


def ldifctl_yaml(setup: str) -> str:
    return _HEADER + (_POSTFIX_BOOK if setup == "postfix-book" else _DS389)


def pre_commit_config() -> str:
    # Local hooks run the ldifctl the user installed: they work the day `init` writes them,
    # with no git URL of ldifctl to know. They are .pre-commit-hooks.yaml's, run as `system`
    # (tests/cli/test_init.py holds the two to the same entries and file patterns).
    return f"""\
# pre-commit (https://pre-commit.com): `pre-commit install` once, then every commit is
# validated and its entry files formatted by the ldifctl on your PATH (now {__version__}).
# To pin a version instead, use ldifctl's own repository at its release tag (README,
# pre-commit).
repos:
  - repo: local
    hooks:
      - id: ldifctl-validate
        name: ldifctl validate
        entry: ldifctl validate
        language: system
        pass_filenames: false
        files: ^(directory/|policies/|ldifctl\\.yaml$)
      - id: ldifctl-fmt
        name: ldifctl fmt
        entry: ldifctl fmt
        language: system
        files: ^directory/.*\\.yaml$
"""
