"""ldifctl: an LDAP mail directory as code."""

__version__ = "0.1.0"
