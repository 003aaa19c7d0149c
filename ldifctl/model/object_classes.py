"""The object classes ldifctl knows out of the box: kind, superior, MUST and MAY.

Each class's own MUST and MAY attributes are slapd 2.5.13's (Debian's core, cosine,
inetorgperson, nis, and schema_files/); test_object_classes.py holds them to it, and the
attributes each class allows with its superiors to 389-DS 2.3.1. A plan is judged before
it is known which server takes it, so a class allows what either server allows: the
union. Today the two agree on every class they share, only spelled apart: 389's
groupOfNames and groupOfUniqueNames have their members as MAY, its posixGroup `cn` as MAY
(and is auxiliary), and its organizationalPerson and residentialPerson take
telephoneNumber from person without naming it. nsContainer is 389's alone; dNSDomain and
the postfix-book classes slapd's alone (389 has them only where a site loads them).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ObjectClass:
    name: str
    kind: str
    superior: str | None
    must: tuple[str, ...]
    may: tuple[str, ...] = ()


# name  kind(structural|auxiliary|abstract)  superior  MUST attributes;
# the MAY attributes on the indented lines below
OBJECT_CLASS_TABLE = """
top                     abstract   -                      objectClass
alias                   structural top                    aliasedObjectName
country                 structural top                    c
    searchGuide description
locality                structural top                    -
    street seeAlso searchGuide st l description
organization            structural top                    o
    userPassword searchGuide seeAlso businessCategory x121Address registeredAddress
    destinationIndicator preferredDeliveryMethod telexNumber teletexTerminalIdentifier
    telephoneNumber internationaliSDNNumber facsimileTelephoneNumber street postOfficeBox
    postalCode postalAddress physicalDeliveryOfficeName st l description
organizationalUnit      structural top                    ou
    userPassword searchGuide seeAlso businessCategory x121Address registeredAddress
    destinationIndicator preferredDeliveryMethod telexNumber teletexTerminalIdentifier
    telephoneNumber internationaliSDNNumber facsimileTelephoneNumber street postOfficeBox
    postalCode postalAddress physicalDeliveryOfficeName st l description
person                  structural top                    sn,cn
    userPassword telephoneNumber seeAlso description
organizationalPerson    structural person                 -
    title x121Address registeredAddress destinationIndicator preferredDeliveryMethod
    telexNumber teletexTerminalIdentifier telephoneNumber internationaliSDNNumber
    facsimileTelephoneNumber street postOfficeBox postalCode postalAddress
    physicalDeliveryOfficeName ou st l
organizationalRole      structural top                    cn
    x121Address registeredAddress destinationIndicator preferredDeliveryMethod telexNumber
    teletexTerminalIdentifier telephoneNumber internationaliSDNNumber facsimileTelephoneNumber
    seeAlso roleOccupant street postOfficeBox postalCode postalAddress
    physicalDeliveryOfficeName ou st l description
groupOfNames            structural top                    member,cn
    businessCategory seeAlso owner ou o description
groupOfUniqueNames      structural top                    uniqueMember,cn
    businessCategory seeAlso owner ou o description
applicationProcess      structural top                    cn
    seeAlso ou l description
device                  structural top                    cn
    serialNumber seeAlso owner ou o l description
residentialPerson       structural person                 l
    businessCategory x121Address registeredAddress destinationIndicator preferredDeliveryMethod
    telexNumber teletexTerminalIdentifier telephoneNumber internationaliSDNNumber
    facsimileTelephoneNumber street postOfficeBox postalCode postalAddress
    physicalDeliveryOfficeName st l
dcObject                auxiliary  top                    dc
uidObject               auxiliary  top                    uid
domain                  structural top                    dc
    associatedName o description businessCategory seeAlso searchGuide userPassword l st street
    physicalDeliveryOfficeName postalAddress postalCode postOfficeBox facsimileTelephoneNumber
    internationaliSDNNumber telephoneNumber teletexTerminalIdentifier telexNumber
    preferredDeliveryMethod destinationIndicator registeredAddress x121Address
dNSDomain               structural domain                 -
    ARecord MDRecord MXRecord NSRecord SOARecord CNAMERecord
domainRelatedObject     auxiliary  top                    associatedDomain
account                 structural top                    uid
    description seeAlso l o ou host
simpleSecurityObject    auxiliary  top                    userPassword
inetOrgPerson           structural organizationalPerson   -
    audio businessCategory carLicense departmentNumber displayName employeeNumber employeeType
    givenName homePhone homePostalAddress initials jpegPhoto labeledURI mail manager mobile o
    pager photo roomNumber secretary uid userCertificate x500uniqueIdentifier preferredLanguage
    userSMIMECertificate userPKCS12
posixAccount            auxiliary  top                    cn,uid,uidNumber,gidNumber,homeDirectory
    userPassword loginShell gecos description
shadowAccount           auxiliary  top                    uid
    userPassword shadowLastChange shadowMin shadowMax shadowWarning shadowInactive shadowExpire
    shadowFlag description
posixGroup              structural top                    cn,gidNumber
    userPassword memberUid description
extensibleObject        auxiliary  top                    -
nsContainer             structural top                    cn
mailRecipient           auxiliary  top                    -
    cn mail mailAlternateAddress mailHost mailRoutingAddress mailAccessDomain mailAutoReplyMode
    mailAutoReplyText mailDeliveryOption mailForwardingAddress mailMessageStore
    mailProgramDeliveryInfo mailQuota multiLineDescription uid userPassword
PostfixBookMailAccount  auxiliary  top                    mail
    mailHomeDirectory mailAlias mailUidNumber mailGidNumber mailEnabled mailGroupMember
    mailQuota mailStorageDirectory mailSieveRuleSource
PostfixBookMailForward  auxiliary  top                    mail,mailAlias
    mailForwardingAddress
"""

# Known types that 389-DS keeps as operational (USAGE directoryOperation) yet a site
# writes: 389 takes them on an entry of any class (slapd does not know them).
ALLOWED_ANYWHERE = frozenset({"nsAccountLock"})


def parse_object_class_table(table: str) -> dict[str, ObjectClass]:
    """Each class by its lower-cased name."""
    rows: list[tuple[list[str], list[str]]] = []
    for line in table.strip().splitlines():
        if line.startswith(" "):
            rows[-1][1].extend(line.split())
        else:
            rows.append((line.split(), []))
    classes = {}
    for (name, kind, sup, must), may in rows:
        musts = () if must == "-" else tuple(must.split(","))
        superior = None if sup == "-" else sup
        classes[name.lower()] = ObjectClass(name, kind, superior, musts, tuple(may))
    return classes
