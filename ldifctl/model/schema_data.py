"""The attribute types ldifctl knows out of the box (its object classes: object_classes.py).

Equality rules are those of the schema files that define them (RFC 4519, cosine,
inetorgperson, nis, 389's 50ns-mail, postfix-book). For 389's mail attributes, which
declare no EQUALITY, the rule is the one 389 derives from the syntax (DirectoryString:
case-insensitive). `ldifctl.yaml` may declare more under `attributes:`.

A type is `none` wherever either server has no equality rule for it (slapd has none
where its schema file declares no EQUALITY; 389 derives one from the syntax): the value
cannot be deleted one by one (slapd: inappropriate matching, 18) nor asserted in a filter
(Undefined), so it is replaced, under an entryCSN assertion where the server takes one.
Measured against slapd 2.5.13 (Debian's core, cosine, inetorgperson, nis, and
schema_files/) and 389-DS 2.3.1; test_schema_equality.py holds the table to slapd.

A type ldifctl does not know compares as octetStringMatch: byte for byte, the strictest
rule, deleted value by value with the exact bytes read, which every equality rule a
server may have matches, so a concurrent edit still fails the modify. Defaulting to
`none` would converge on a type without any rule too, but replace its every value with
no precondition in `ldifctl plan | ldapmodify`: clobbering is worse than a refused write.
Every stock type without EQUALITY is listed here; a site's own such type must be declared
`{equality: none}` under `attributes:`, or each value-level change of it fails with 18.

The OIDs are those of the same files (OpenLDAP's /etc/ldap/schema, 389's
/usr/share/dirsrv/schema, ldifctl/schema_files; test_schema_oids.py holds them to it): an
attribute written by its OID is the attribute, so `2.5.4.35` is userPassword everywhere.
"""

# oid  name[,alias...]  equality-rule  s(ingle-valued)|m(ulti-valued)
ATTRIBUTE_TABLE = """
2.5.4.0                    objectClass                     objectIdentifierMatch m
2.5.4.1                    aliasedObjectName               distinguishedNameMatch s
2.5.4.3                    cn,commonName                   caseIgnoreMatch m
2.5.4.4                    sn,surname                      caseIgnoreMatch m
2.5.4.6                    c,countryName                   caseIgnoreMatch s
2.5.4.7                    l,localityName                  caseIgnoreMatch m
2.5.4.8                    st,stateOrProvinceName          caseIgnoreMatch m
2.5.4.9                    street,streetAddress            caseIgnoreMatch m
2.5.4.10                   o,organizationName              caseIgnoreMatch m
2.5.4.11                   ou,organizationalUnitName       caseIgnoreMatch m
2.5.4.12                   title                           caseIgnoreMatch m
2.5.4.13                   description                     caseIgnoreMatch m
2.5.4.15                   businessCategory                caseIgnoreMatch m
2.5.4.16                   postalAddress                   caseIgnoreListMatch m
2.5.4.17                   postalCode                      caseIgnoreMatch m
2.5.4.18                   postOfficeBox                   caseIgnoreMatch m
2.5.4.19                   physicalDeliveryOfficeName      caseIgnoreMatch m
2.5.4.20                   telephoneNumber                 telephoneNumberMatch m
2.5.4.23                   facsimileTelephoneNumber,fax    none m
2.5.4.24                   x121Address                     numericStringMatch m
2.5.4.25                   internationaliSDNNumber         numericStringMatch m
2.5.4.26                   registeredAddress               caseIgnoreListMatch m
2.5.4.27                   destinationIndicator            caseIgnoreMatch m
2.5.4.28                   preferredDeliveryMethod         none s
2.5.4.31                   member                          distinguishedNameMatch m
2.5.4.50                   uniqueMember                    uniqueMemberMatch m
2.5.4.32                   owner                           distinguishedNameMatch m
2.5.4.33                   roleOccupant                    distinguishedNameMatch m
2.5.4.34                   seeAlso                         distinguishedNameMatch m
2.5.4.35                   userPassword                    octetStringMatch m
2.5.4.41                   name                            caseIgnoreMatch m
2.5.4.42                   givenName,gn                    caseIgnoreMatch m
2.5.4.43                   initials                        caseIgnoreMatch m
2.5.4.44                   generationQualifier             caseIgnoreMatch m
2.5.4.46                   dnQualifier                     caseIgnoreMatch m
2.5.4.51                   houseIdentifier                 caseIgnoreMatch m
2.5.4.5                    serialNumber                    caseIgnoreMatch m
0.9.2342.19200300.100.1.25 dc,domainComponent              caseIgnoreIA5Match s
0.9.2342.19200300.100.1.1  uid,userid                      caseIgnoreMatch m
2.5.4.49                   distinguishedName               distinguishedNameMatch m
2.5.4.36                   userCertificate                 octetStringMatch m
2.5.4.37                   cACertificate                   octetStringMatch m
1.3.6.1.4.1.250.1.57       labeledURI                      caseExactMatch m
0.9.2342.19200300.100.1.3  mail,rfc822Mailbox              caseIgnoreIA5Match m
0.9.2342.19200300.100.1.4  info                            caseIgnoreMatch m
0.9.2342.19200300.100.1.5  drink,favouriteDrink            caseIgnoreMatch m
0.9.2342.19200300.100.1.6  roomNumber                      caseIgnoreMatch m
0.9.2342.19200300.100.1.21 secretary                       distinguishedNameMatch m
0.9.2342.19200300.100.1.20 homePhone,homeTelephoneNumber   telephoneNumberMatch m
0.9.2342.19200300.100.1.41 mobile,mobileTelephoneNumber    telephoneNumberMatch m
0.9.2342.19200300.100.1.42 pager,pagerTelephoneNumber      telephoneNumberMatch m
0.9.2342.19200300.100.1.10 manager                         distinguishedNameMatch m
0.9.2342.19200300.100.1.9  host                            caseIgnoreMatch m
0.9.2342.19200300.100.1.37 associatedDomain                caseIgnoreIA5Match m
0.9.2342.19200300.100.1.40 personalTitle                   caseIgnoreMatch m
0.9.2342.19200300.100.1.39 homePostalAddress               caseIgnoreListMatch m
0.9.2342.19200300.100.1.48 buildingName                    caseIgnoreMatch m
0.9.2342.19200300.100.1.45 organizationalStatus            caseIgnoreMatch m
0.9.2342.19200300.100.1.47 mailPreferenceOption            none m
0.9.2342.19200300.100.1.7  photo                           none m
0.9.2342.19200300.100.1.55 audio                           none m
0.9.2342.19200300.100.1.44 uniqueIdentifier                caseIgnoreMatch m
2.16.840.1.113730.3.1.1    carLicense                      caseIgnoreMatch m
2.16.840.1.113730.3.1.2    departmentNumber                caseIgnoreMatch m
2.16.840.1.113730.3.1.241  displayName                     caseIgnoreMatch s
2.16.840.1.113730.3.1.3    employeeNumber                  caseIgnoreMatch s
2.16.840.1.113730.3.1.4    employeeType                    caseIgnoreMatch m
0.9.2342.19200300.100.1.60 jpegPhoto                       none m
2.16.840.1.113730.3.1.39   preferredLanguage               caseIgnoreMatch s
2.16.840.1.113730.3.1.40   userSMIMECertificate            none m
2.16.840.1.113730.3.1.216  userPKCS12                      none m
2.5.4.14                   searchGuide                     none m
2.5.4.47                   enhancedSearchGuide             none m
2.5.4.21                   telexNumber                     none m
2.5.4.22                   teletexTerminalIdentifier       none m
2.5.4.38                   authorityRevocationList         none m
2.5.4.39                   certificateRevocationList       none m
2.5.4.40                   crossCertificatePair            none m
2.5.4.52                   supportedAlgorithms             none m
2.5.4.53                   deltaRevocationList             none m
0.9.2342.19200300.100.1.22 otherMailbox                    none m
0.9.2342.19200300.100.1.53 personalSignature               none m
0.9.2342.19200300.100.1.49 dSAQuality                      none s
0.9.2342.19200300.100.1.50 singleLevelQuality              none s
0.9.2342.19200300.100.1.51 subtreeMinimumQuality           none s
0.9.2342.19200300.100.1.52 subtreeMaximumQuality           none s
1.3.6.1.1.1.1.0            uidNumber                       integerMatch s
1.3.6.1.1.1.1.1            gidNumber                       integerMatch s
1.3.6.1.1.1.1.2            gecos                           caseIgnoreIA5Match s
1.3.6.1.1.1.1.3            homeDirectory                   caseExactIA5Match s
1.3.6.1.1.1.1.4            loginShell                      caseExactIA5Match s
1.3.6.1.1.1.1.5            shadowLastChange                integerMatch s
1.3.6.1.1.1.1.6            shadowMin                       integerMatch s
1.3.6.1.1.1.1.7            shadowMax                       integerMatch s
1.3.6.1.1.1.1.8            shadowWarning                   integerMatch s
1.3.6.1.1.1.1.9            shadowInactive                  integerMatch s
1.3.6.1.1.1.1.10           shadowExpire                    integerMatch s
1.3.6.1.1.1.1.11           shadowFlag                      integerMatch s
1.3.6.1.1.1.1.12           memberUid                       caseExactIA5Match m
1.3.6.1.1.1.1.13           memberNisNetgroup               caseExactIA5Match m
1.3.6.1.1.1.1.14           nisNetgroupTriple               none m
1.3.6.1.1.1.1.15           ipServicePort                   integerMatch s
1.3.6.1.1.1.1.16           ipServiceProtocol               caseIgnoreMatch m
1.3.6.1.1.1.1.17           ipProtocolNumber                integerMatch s
1.3.6.1.1.1.1.18           oncRpcNumber                    integerMatch s
1.3.6.1.1.1.1.19           ipHostNumber                    caseIgnoreIA5Match m
1.3.6.1.1.1.1.20           ipNetworkNumber                 caseIgnoreIA5Match s
1.3.6.1.1.1.1.21           ipNetmaskNumber                 caseIgnoreIA5Match s
1.3.6.1.1.1.1.22           macAddress                      caseIgnoreIA5Match m
1.3.6.1.1.1.1.23           bootParameter                   none m
1.3.6.1.1.1.1.24           bootFile                        caseExactIA5Match m
1.3.6.1.1.1.1.26           nisMapName                      caseIgnoreMatch m
1.3.6.1.1.1.1.27           nisMapEntry                     caseExactIA5Match s
2.16.840.1.113730.3.1.13   mailAlternateAddress            caseIgnoreMatch m
2.16.840.1.113730.3.1.17   mailForwardingAddress           caseIgnoreMatch m
2.16.840.1.113730.3.1.18   mailHost                        caseIgnoreMatch m
2.16.840.1.113730.3.1.24   mailRoutingAddress              caseIgnoreMatch m
2.16.840.1.113730.3.1.21   mailQuota                       caseIgnoreMatch m
2.16.840.1.113730.3.1.16   mailDeliveryOption              caseIgnoreMatch m
2.16.840.1.113730.3.1.19   mailMessageStore                caseExactIA5Match m
1.3.6.1.4.1.250.1.2        multiLineDescription            caseIgnoreMatch m
2.16.840.1.113730.3.1.12   mailAccessDomain                caseIgnoreMatch m
2.16.840.1.113730.3.1.14   mailAutoReplyMode               caseIgnoreMatch m
2.16.840.1.113730.3.1.15   mailAutoReplyText               caseIgnoreMatch m
2.16.840.1.113730.3.1.20   mailProgramDeliveryInfo         caseExactIA5Match m
1.3.6.1.4.1.29426.1.10.1   mailHomeDirectory               caseExactIA5Match s
1.3.6.1.4.1.29426.1.10.2   mailAlias                       caseIgnoreIA5Match m
1.3.6.1.4.1.29426.1.10.3   mailUidNumber                   integerMatch s
1.3.6.1.4.1.29426.1.10.4   mailGidNumber                   integerMatch s
1.3.6.1.4.1.29426.1.10.5   mailEnabled                     booleanMatch s
1.3.6.1.4.1.29426.1.10.6   mailGroupMember                 caseExactIA5Match m
1.3.6.1.4.1.29426.1.10.8   mailStorageDirectory            caseExactIA5Match s
1.3.6.1.4.1.29426.1.10.9   mailSieveRuleSource             none m
2.16.840.1.113730.3.1.55   aci                             octetStringMatch m
2.16.840.1.113730.3.1.610  nsAccountLock                   caseIgnoreMatch s
"""

# postfix-book's own OIDs of two types that 389's schema (above) also defines: a server
# that loads postfix-book whole knows them by these (see schema_files/postfix-book.ldif).
OTHER_OIDS = {
    "1.3.6.1.4.1.29426.1.10.7": "mailQuota",
    "1.3.6.1.4.1.29426.1.10.10": "mailForwardingAddress",
}

# Kept by the server, never by the user: never read, written or compared. Every type
# slapd's and 389-DS's subschema mark NO-USER-MODIFICATION is here (held to them by
# tests/model/test_object_classes.py), and those of overlays the test servers do not
# load (ppolicy, lastbind: pwdLastSuccess, authTimestamp, pwdAccountTmpLockoutEnd): one
# kept from a dump by `import` made an export `ldapadd` refuses and a drift never cleared.
OPERATIONAL_ATTRIBUTES = frozenset(
    """
createTimestamp modifyTimestamp creatorsName modifiersName entryUUID entryCSN entryDN
structuralObjectClass subschemaSubentry hasSubordinates numSubordinates contextCSN
pwdChangedTime pwdAccountLockedTime pwdFailureTime pwdHistory pwdGraceUseTime pwdReset
pwdPolicySubentry nsUniqueId entryid parentid nsds5ReplConflict nsTombstoneCSN
nscpEntryDN nsRole passwordGraceUserTime passwordExpirationTime passwordExpWarned
passwordHistory passwordRetryCount retryCountResetTime accountUnlockTime
passwordAllowChangeTime entryUSN memberOf aci
pwdLastSuccess authTimestamp pwdAccountTmpLockoutEnd entryTtl dynamicSubtrees vendorName
vendorVersion governingStructureRule internalCreatorsName internalModifiersName
internalModifyTimestamp dsEntryDN dnComp pwdTPRReset tombstoneNumSubordinates
nsds5ReplicaLastInitStart nsds5ReplicaLastInitEnd nsds5ReplicaLastInitStatus
nsds5ReplicaLastInitStatusJSON nsds5ReplicaLastUpdateStart nsds5ReplicaLastUpdateEnd
nsds5ReplicaLastUpdateStatus nsds5ReplicaLastUpdateStatusJSON nsds5ReplicaUpdateInProgress
nsds5ReplicaChangesSentSinceStartup
""".split()
)
