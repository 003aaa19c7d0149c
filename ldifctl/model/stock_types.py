"""The attribute types the servers know out of the box, beyond the ones ldifctl models
(schema_data.py). A type in none of these lists and not declared under `attributes:` in
ldifctl.yaml is one no server takes, most often a typo (`mailAlais`): slapd refuses it
(Undefined attribute type, 17), 389-DS too (Object class violation, 65) unless the entry
is an extensibleObject, where it keeps the misspelt type as a type of its own.

Measured, and held to their sources by tests/model/test_stock_types.py, each type by its
names and its numeric OID (`2.5.4.65`, `1.3.6.1.1.16.4`: both servers take a type by
its OID, as RFC 4512 has it):
- slapd 2.5.13's subschema as the tests run it (Debian's core, cosine, inetorgperson,
  nis, schema_files/, and slapd's own built-in and cn=config types): stock_types_slapd.py;
- the types the modules Debian's slapd ships in /usr/lib/ldap bring (ppolicy's pwd*,
  accesslog's req*, otp's oath*, the overlays' and backends' olc*), measured on a slapd
  that loads them: stock_types_slapd_modules.py;
- the other schema files Debian's slapd ships in /etc/ldap/schema, which a site may load
  (all but msuser's 940 Active Directory types): stock_types_slapd.py;
- 389-DS 2.3.1's subschema with its default schema: stock_types_389_*.py, by name;
- the schema files 389-DS ships in /usr/share/dirsrv/data and does not load (60qmail,
  60kerberos, 60samba, 60radius, 10rfc2307bis...): stock_types_389_optional.py.
Each list is a text of definitions `name[,alias...]=OID` (the OID left out where the
server names none in digits: 389-DS's `nsSSL3-oid`), read into sets at the first
question: most runs meet no type ldifctl does not model, and need none of them, nor
import them.

slapd takes the `;binary` transfer option only on the types whose syntax is transferred
in binary (RFC 4522: certificates, certificate lists and pairs, supported algorithms,
PKCS#8 keys), and refuses it on any other type it knows (17: `cn;binary: option "binary"
not supported with type`). 389-DS takes it on every type, and keeps `cn;binary` as an
attribute apart from `cn`.
"""

from functools import cache

from ldifctl.model.schema import Schema, attribute_type, is_secret

# The types of SLAPD_TYPES on which slapd takes `;binary` (each tried by a write).
BINARY_TYPES = """
authorityRevocationList cACertificate certificateRevocationList crossCertificatePair
deltaRevocationList olcTLSCACertificate olcTLSCertificate olcTLSCertificateKey pKCS8PrivateKey
supportedAlgorithms userCertificate
"""


def definitions(text: str) -> list[tuple[list[str], str]]:
    """Each definition of a list: its names, and its numeric OID ("" where none)."""
    return [(names.split(","), oid) for names, _, oid in (w.partition("=") for w in text.split())]


def _lists() -> tuple[str, ...]:
    # Imported here, not at the top: importing this module costs nothing of them.
    from ldifctl.model.stock_types_389_a_m import DS389_TYPES_A_M
    from ldifctl.model.stock_types_389_n import DS389_TYPES_N
    from ldifctl.model.stock_types_389_nsslapd import DS389_NSSLAPD_TYPES
    from ldifctl.model.stock_types_389_o_z import DS389_TYPES_O_Z
    from ldifctl.model.stock_types_389_optional import DS389_OPTIONAL_TYPES
    from ldifctl.model.stock_types_slapd import OTHER_SLAPD_TYPES, SLAPD_TYPES
    from ldifctl.model.stock_types_slapd_modules import SLAPD_MODULE_TYPES

    return (SLAPD_TYPES, SLAPD_MODULE_TYPES, OTHER_SLAPD_TYPES, DS389_TYPES_A_M,
            DS389_TYPES_N, DS389_NSSLAPD_TYPES, DS389_TYPES_O_Z, DS389_OPTIONAL_TYPES)


@cache
def _known() -> frozenset[str]:
    # Every name and OID of every definition, split in C: ~0.5 ms, a loop took 3 ms.
    words = " ".join(_lists()).lower().replace(",", " ").replace("=", " ")
    return frozenset(words.split())


@cache
def _binary_refused() -> frozenset[str]:
    from ldifctl.model.stock_types_slapd import SLAPD_TYPES

    binary = {n.lower() for n in BINARY_TYPES.split()}
    return frozenset(k.lower() for names, oid in definitions(SLAPD_TYPES)
                     if binary.isdisjoint(n.lower() for n in names)
                     for k in (*names, oid) if k)


def known_to_a_server(type_name: str) -> bool:
    """Does slapd or 389-DS know a type of this name or numeric OID (option-less, any
    case)?"""
    return type_name.lower() in _known()


def refused_as_unknown(schema: Schema, name: str) -> bool:
    """Does `validate` refuse the attribute as a type no server knows
    (schema/unknown-attribute)? Never one ldifctl leaves alone: a secret, an ignored type."""
    if schema.is_ignored(name) or is_secret(name, schema) or schema.knows(name):
        return False
    return not known_to_a_server(attribute_type(name))


def binary_refused(type_name: str) -> bool:
    """Does slapd refuse `;binary` on this type (a name or numeric OID)? A type slapd
    does not know is not judged: slapd refuses it whole, 389-DS takes the option on any
    type."""
    return type_name.lower() in _binary_refused()
