"""ldifctl: an LDAP mail directory as code."""

__version__ = "0.2.0"
