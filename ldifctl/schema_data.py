"""The attribute types and object classes ldifctl knows out of the box.

Equality rules are those of the schema files that define them (RFC 4519, cosine,
inetorgperson, nis, 389's 50ns-mail, postfix-book). For 389's mail attributes, which
declare no EQUALITY, the rule is the one 389 derives from the syntax (DirectoryString:
case-insensitive). `ldifctl.yaml` may declare more under `attributes:`.
"""

# name[,alias...]  equality-rule  s(ingle-valued)|m(ulti-valued)
ATTRIBUTE_TABLE = """
objectClass                     objectIdentifierMatch m
aliasedObjectName               distinguishedNameMatch s
cn,commonName                   caseIgnoreMatch m
sn,surname                      caseIgnoreMatch m
c,countryName                   caseIgnoreMatch s
l,localityName                  caseIgnoreMatch m
st,stateOrProvinceName          caseIgnoreMatch m
street,streetAddress            caseIgnoreMatch m
o,organizationName              caseIgnoreMatch m
ou,organizationalUnitName       caseIgnoreMatch m
title                           caseIgnoreMatch m
description                     caseIgnoreMatch m
businessCategory                caseIgnoreMatch m
postalAddress                   caseIgnoreListMatch m
postalCode                      caseIgnoreMatch m
postOfficeBox                   caseIgnoreMatch m
physicalDeliveryOfficeName      caseIgnoreMatch m
telephoneNumber                 telephoneNumberMatch m
facsimileTelephoneNumber        none m
x121Address                     numericStringMatch m
internationaliSDNNumber         numericStringMatch m
registeredAddress               caseIgnoreListMatch m
destinationIndicator            caseIgnoreMatch m
preferredDeliveryMethod         none s
member                          distinguishedNameMatch m
uniqueMember                    uniqueMemberMatch m
owner                           distinguishedNameMatch m
roleOccupant                    distinguishedNameMatch m
seeAlso                         distinguishedNameMatch m
userPassword                    octetStringMatch m
name                            caseIgnoreMatch m
givenName,gn                    caseIgnoreMatch m
initials                        caseIgnoreMatch m
generationQualifier             caseIgnoreMatch m
dnQualifier                     caseIgnoreMatch m
houseIdentifier                 caseIgnoreMatch m
serialNumber                    caseIgnoreMatch m
dc,domainComponent              caseIgnoreIA5Match s
uid,userid                      caseIgnoreMatch m
distinguishedName               distinguishedNameMatch m
userCertificate                 octetStringMatch m
cACertificate                   octetStringMatch m
labeledURI                      caseExactMatch m
mail,rfc822Mailbox              caseIgnoreIA5Match m
info                            caseIgnoreMatch m
drink,favouriteDrink            caseIgnoreMatch m
roomNumber                      caseIgnoreMatch m
secretary                       distinguishedNameMatch m
homePhone,homeTelephoneNumber   telephoneNumberMatch m
mobile,mobileTelephoneNumber    telephoneNumberMatch m
pager,pagerTelephoneNumber      telephoneNumberMatch m
manager                         distinguishedNameMatch m
host                            caseIgnoreMatch m
associatedDomain                caseIgnoreIA5Match m
personalTitle                   caseIgnoreMatch m
homePostalAddress               caseIgnoreListMatch m
buildingName                    caseIgnoreMatch m
organizationalStatus            caseIgnoreMatch m
mailPreferenceOption            integerMatch s
photo                           none m
audio                           none m
uniqueIdentifier                caseIgnoreMatch m
carLicense                      caseIgnoreMatch m
departmentNumber                caseIgnoreMatch m
displayName                     caseIgnoreMatch s
employeeNumber                  caseIgnoreMatch s
employeeType                    caseIgnoreMatch m
jpegPhoto                       none m
preferredLanguage               caseIgnoreMatch s
userSMIMECertificate            none m
userPKCS12                      none m
uidNumber                       integerMatch s
gidNumber                       integerMatch s
gecos                           caseIgnoreIA5Match s
homeDirectory                   caseExactIA5Match s
loginShell                      caseExactIA5Match s
shadowLastChange                integerMatch s
shadowMin                       integerMatch s
shadowMax                       integerMatch s
shadowWarning                   integerMatch s
shadowInactive                  integerMatch s
shadowExpire                    integerMatch s
shadowFlag                      integerMatch s
memberUid                       caseExactIA5Match m
memberNisNetgroup               caseExactIA5Match m
nisNetgroupTriple               caseIgnoreIA5Match m
ipServicePort                   integerMatch s
ipServiceProtocol               caseIgnoreMatch m
ipProtocolNumber                integerMatch s
oncRpcNumber                    integerMatch s
ipHostNumber                    caseIgnoreIA5Match m
ipNetworkNumber                 caseIgnoreIA5Match s
ipNetmaskNumber                 caseIgnoreIA5Match s
macAddress                      caseIgnoreIA5Match m
bootParameter                   caseExactIA5Match m
bootFile                        caseExactIA5Match m
nisMapName                      caseIgnoreMatch m
nisMapEntry                     caseExactIA5Match s
mailAlternateAddress            caseIgnoreMatch m
mailForwardingAddress           caseIgnoreMatch m
mailHost                        caseIgnoreMatch m
mailRoutingAddress              caseIgnoreMatch m
mailQuota                       caseIgnoreMatch m
mailDeliveryOption              caseIgnoreMatch m
mailMessageStore                caseExactIA5Match m
multiLineDescription            caseIgnoreMatch m
mailAccessDomain                caseIgnoreMatch m
mailAutoReplyMode               caseIgnoreMatch m
mailAutoReplyText               caseIgnoreMatch m
mailProgramDeliveryInfo         caseIgnoreMatch m
mailHomeDirectory               caseExactIA5Match s
mailAlias                       caseIgnoreIA5Match m
mailUidNumber                   integerMatch s
mailGidNumber                   integerMatch s
mailEnabled                     booleanMatch s
mailGroupMember                 caseExactIA5Match m
mailStorageDirectory            caseExactIA5Match s
mailSieveRuleSource             none m
aci                             octetStringMatch m
nsAccountLock                   caseIgnoreMatch s
"""

# Kept by the server, never by the user: never read, written or compared.
OPERATIONAL_ATTRIBUTES = frozenset(
    """
createTimestamp modifyTimestamp creatorsName modifiersName entryUUID entryCSN entryDN
structuralObjectClass subschemaSubentry hasSubordinates numSubordinates contextCSN
pwdChangedTime pwdAccountLockedTime pwdFailureTime pwdHistory pwdGraceUseTime pwdReset
pwdPolicySubentry nsUniqueId entryid parentid nsds5ReplConflict nsTombstoneCSN
nscpEntryDN nsRole passwordGraceUserTime passwordExpirationTime passwordExpWarned
passwordHistory passwordRetryCount retryCountResetTime accountUnlockTime
passwordAllowChangeTime entryUSN memberOf aci
""".split()
)

# name  kind(structural|auxiliary|abstract)  superior  MUST attributes
OBJECT_CLASS_TABLE = """
top                     abstract   -                      objectClass
alias                   structural top                    aliasedObjectName
country                 structural top                    c
locality                structural top                    -
organization            structural top                    o
organizationalUnit      structural top                    ou
person                  structural top                    sn,cn
organizationalPerson    structural person                 -
organizationalRole      structural top                    cn
groupOfNames            structural top                    member,cn
groupOfUniqueNames      structural top                    uniqueMember,cn
applicationProcess      structural top                    cn
device                  structural top                    cn
residentialPerson       structural person                 l
dcObject                auxiliary  top                    dc
uidObject               auxiliary  top                    uid
domain                  structural top                    dc
dNSDomain               structural domain                 -
domainRelatedObject     auxiliary  top                    associatedDomain
account                 structural top                    uid
simpleSecurityObject    auxiliary  top                    userPassword
inetOrgPerson           structural organizationalPerson   -
posixAccount            auxiliary  top                    cn,uid,uidNumber,gidNumber,homeDirectory
shadowAccount           auxiliary  top                    uid
posixGroup              structural top                    cn,gidNumber
extensibleObject        auxiliary  top                    -
nsContainer             structural top                    cn
mailRecipient           auxiliary  top                    -
PostfixBookMailAccount  auxiliary  top                    mail
PostfixBookMailForward  auxiliary  top                    mail,mailAlias
"""
