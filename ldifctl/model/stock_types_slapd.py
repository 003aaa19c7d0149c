"""The attribute types slapd 2.5.13 knows as the tests run it, and those of the other schema
files Debian ships in /etc/ldap/schema (stock_types.py says what they are for;
tests/model/test_stock_types.py holds them to the server and the files)."""

# Every definition of slapd's subschema as the tests run it: Debian's core, cosine,
# inetorgperson, nis, schema_files/, and slapd's own built-in and cn=config types.
SLAPD_TYPES = """
aliasedObjectName,aliasedEntryName=2.5.4.1 altServer=1.3.6.1.4.1.1466.101.120.6
aRecord=0.9.2342.19200300.100.1.26 associatedDomain=0.9.2342.19200300.100.1.37
associatedName=0.9.2342.19200300.100.1.38 attributeTypes=2.5.21.5 audio=0.9.2342.19200300.100.1.55
authorityRevocationList=2.5.4.38 bootFile=1.3.6.1.1.1.1.24 bootParameter=1.3.6.1.1.1.1.23
buildingName=0.9.2342.19200300.100.1.48 businessCategory=2.5.4.15 c,countryName=2.5.4.6
cACertificate=2.5.4.37 carLicense=2.16.840.1.113730.3.1.1 certificateRevocationList=2.5.4.39
cn,commonName=2.5.4.3 cNAMERecord=0.9.2342.19200300.100.1.31
co,friendlyCountryName=0.9.2342.19200300.100.1.43 contextCSN=1.3.6.1.4.1.4203.666.1.25
createTimestamp=2.5.18.1 creatorsName=2.5.18.3 crossCertificatePair=2.5.4.40
dc,domainComponent=0.9.2342.19200300.100.1.25 deltaRevocationList=2.5.4.53
departmentNumber=2.16.840.1.113730.3.1.2 description=2.5.4.13 destinationIndicator=2.5.4.27
displayName=2.16.840.1.113730.3.1.241 distinguishedName=2.5.4.49
dITRedirect=0.9.2342.19200300.100.1.54 dmdName=2.5.4.54 dnQualifier=2.5.4.46
documentAuthor=0.9.2342.19200300.100.1.14 documentIdentifier=0.9.2342.19200300.100.1.11
documentLocation=0.9.2342.19200300.100.1.15 documentPublisher=0.9.2342.19200300.100.1.56
documentTitle=0.9.2342.19200300.100.1.12 documentVersion=0.9.2342.19200300.100.1.13
drink,favouriteDrink=0.9.2342.19200300.100.1.5 dSAQuality=0.9.2342.19200300.100.1.49
dynamicSubtrees=1.3.6.1.4.1.1466.101.119.4 email,emailAddress,pkcs9email=1.2.840.113549.1.9.1
employeeNumber=2.16.840.1.113730.3.1.3 employeeType=2.16.840.1.113730.3.1.4
enhancedSearchGuide=2.5.4.47 entryCSN=1.3.6.1.4.1.4203.666.1.7 entryDN=1.3.6.1.1.20
entryTtl=1.3.6.1.4.1.1466.101.119.3 entryUUID=1.3.6.1.1.16.4 facsimileTelephoneNumber,fax=2.5.4.23
gecos=1.3.6.1.1.1.1.2 generationQualifier=2.5.4.44 gidNumber=1.3.6.1.1.1.1.1 givenName,gn=2.5.4.42
hasSubordinates=2.5.18.9 homeDirectory=1.3.6.1.1.1.1.3
homePhone,homeTelephoneNumber=0.9.2342.19200300.100.1.20
homePostalAddress=0.9.2342.19200300.100.1.39 host=0.9.2342.19200300.100.1.9 houseIdentifier=2.5.4.51
info=0.9.2342.19200300.100.1.4 initials=2.5.4.43 internationaliSDNNumber=2.5.4.25
ipHostNumber=1.3.6.1.1.1.1.19 ipNetmaskNumber=1.3.6.1.1.1.1.21 ipNetworkNumber=1.3.6.1.1.1.1.20
ipProtocolNumber=1.3.6.1.1.1.1.17 ipServicePort=1.3.6.1.1.1.1.15 ipServiceProtocol=1.3.6.1.1.1.1.16
janetMailbox=0.9.2342.19200300.100.1.46 jpegPhoto=0.9.2342.19200300.100.1.60
knowledgeInformation=2.5.4.2 l,localityName=2.5.4.7 labeledURI=1.3.6.1.4.1.250.1.57
ldapSyntaxes=1.3.6.1.4.1.1466.101.120.16 loginShell=1.3.6.1.1.1.1.4 macAddress=1.3.6.1.1.1.1.22
mail,rfc822Mailbox=0.9.2342.19200300.100.1.3 mailAccessDomain=2.16.840.1.113730.3.1.12
mailAlias=1.3.6.1.4.1.29426.1.10.2 mailAlternateAddress=2.16.840.1.113730.3.1.13
mailAutoReplyMode=2.16.840.1.113730.3.1.14 mailAutoReplyText=2.16.840.1.113730.3.1.15
mailDeliveryOption=2.16.840.1.113730.3.1.16 mailEnabled=1.3.6.1.4.1.29426.1.10.5
mailForwardingAddress=2.16.840.1.113730.3.1.17 mailGidNumber=1.3.6.1.4.1.29426.1.10.4
mailGroupMember=1.3.6.1.4.1.29426.1.10.6 mailHomeDirectory=1.3.6.1.4.1.29426.1.10.1
mailHost=2.16.840.1.113730.3.1.18 mailMessageStore=2.16.840.1.113730.3.1.19
mailPreferenceOption=0.9.2342.19200300.100.1.47 mailProgramDeliveryInfo=2.16.840.1.113730.3.1.20
mailQuota=2.16.840.1.113730.3.1.21 mailRoutingAddress=2.16.840.1.113730.3.1.24
mailSieveRuleSource=1.3.6.1.4.1.29426.1.10.9 mailStorageDirectory=1.3.6.1.4.1.29426.1.10.8
mailUidNumber=1.3.6.1.4.1.29426.1.10.3 manager=0.9.2342.19200300.100.1.10 matchingRules=2.5.21.4
matchingRuleUse=2.5.21.8 mDRecord=0.9.2342.19200300.100.1.27 member=2.5.4.31
memberNisNetgroup=1.3.6.1.1.1.1.13 memberUid=1.3.6.1.1.1.1.12
mobile,mobileTelephoneNumber=0.9.2342.19200300.100.1.41 modifiersName=2.5.18.4
modifyTimestamp=2.5.18.2 multiLineDescription=1.3.6.1.4.1.250.1.2
mXRecord=0.9.2342.19200300.100.1.28 name=2.5.4.41 namingContexts=1.3.6.1.4.1.1466.101.120.5
nisMapEntry=1.3.6.1.1.1.1.27 nisMapName=1.3.6.1.1.1.1.26 nisNetgroupTriple=1.3.6.1.1.1.1.14
nSRecord=0.9.2342.19200300.100.1.29 o,organizationName=2.5.4.10 objectClass=2.5.4.0
objectClasses=2.5.21.6 olcAccess=1.3.6.1.4.1.4203.1.12.2.3.0.1
olcAddContentAcl=1.3.6.1.4.1.4203.1.12.2.3.0.86 olcAllows=1.3.6.1.4.1.4203.1.12.2.3.0.2
olcArgsFile=1.3.6.1.4.1.4203.1.12.2.3.0.3 olcAttributeOptions=1.3.6.1.4.1.4203.1.12.2.3.0.5
olcAttributeTypes=1.3.6.1.4.1.4203.1.12.2.3.0.4 olcAuthIDRewrite=1.3.6.1.4.1.4203.1.12.2.3.0.6
olcAuthzPolicy=1.3.6.1.4.1.4203.1.12.2.3.0.7 olcAuthzRegexp=1.3.6.1.4.1.4203.1.12.2.3.0.8
olcBackend=1.3.6.1.4.1.4203.1.12.2.3.0.9 olcBkMdbIdlExp=1.3.6.1.4.1.4203.1.12.2.3.1.12.1
olcConcurrency=1.3.6.1.4.1.4203.1.12.2.3.0.10 olcConfigDir=1.3.6.1.4.1.4203.1.12.2.3.0.79
olcConfigFile=1.3.6.1.4.1.4203.1.12.2.3.0.78 olcConnMaxPending=1.3.6.1.4.1.4203.1.12.2.3.0.11
olcConnMaxPendingAuth=1.3.6.1.4.1.4203.1.12.2.3.0.12 olcDatabase=1.3.6.1.4.1.4203.1.12.2.3.0.13
olcDbCheckpoint=1.3.6.1.4.1.4203.1.12.2.3.2.1.2 olcDbDirectory=1.3.6.1.4.1.4203.1.12.2.3.2.0.1
olcDbEnvFlags=1.3.6.1.4.1.4203.1.12.2.3.2.12.3 olcDbIndex=1.3.6.1.4.1.4203.1.12.2.3.2.0.2
olcDbMaxEntrySize=1.3.6.1.4.1.4203.1.12.2.3.2.12.4 olcDbMaxReaders=1.3.6.1.4.1.4203.1.12.2.3.2.12.1
olcDbMaxSize=1.3.6.1.4.1.4203.1.12.2.3.2.12.2 olcDbMode=1.3.6.1.4.1.4203.1.12.2.3.2.0.3
olcDbMultival=1.3.6.1.4.1.4203.1.12.2.3.2.12.6 olcDbNoSync=1.3.6.1.4.1.4203.1.12.2.3.2.1.4
olcDbRtxnSize=1.3.6.1.4.1.4203.1.12.2.3.2.12.5 olcDbSearchStack=1.3.6.1.4.1.4203.1.12.2.3.2.1.9
olcDefaultSearchBase=1.3.6.1.4.1.4203.1.12.2.3.0.14 olcDisabled=1.3.6.1.4.1.4203.1.12.2.3.2.0.21
olcDisallows=1.3.6.1.4.1.4203.1.12.2.3.0.15 olcDitContentRules=1.3.6.1.4.1.4203.1.12.2.3.0.16
olcExtraAttrs=1.3.6.1.4.1.4203.1.12.2.3.2.0.20 olcGentleHUP=1.3.6.1.4.1.4203.1.12.2.3.0.17
olcHidden=1.3.6.1.4.1.4203.1.12.2.3.2.0.17 olcIdleTimeout=1.3.6.1.4.1.4203.1.12.2.3.0.18
olcInclude=1.3.6.1.4.1.4203.1.12.2.3.0.19 olcIndexHash64=1.3.6.1.4.1.4203.1.12.2.3.0.94
olcIndexIntLen=1.3.6.1.4.1.4203.1.12.2.3.0.84 olcIndexSubstrAnyLen=1.3.6.1.4.1.4203.1.12.2.3.0.22
olcIndexSubstrAnyStep=1.3.6.1.4.1.4203.1.12.2.3.0.23
olcIndexSubstrIfMaxLen=1.3.6.1.4.1.4203.1.12.2.3.0.21
olcIndexSubstrIfMinLen=1.3.6.1.4.1.4203.1.12.2.3.0.20 olcLastBind=1.3.6.1.4.1.4203.1.12.2.3.2.0.22
olcLastMod=1.3.6.1.4.1.4203.1.12.2.3.2.0.4 olcLdapSyntaxes=1.3.6.1.4.1.4203.1.12.2.3.0.85
olcLimits=1.3.6.1.4.1.4203.1.12.2.3.2.0.5 olcListenerThreads=1.3.6.1.4.1.4203.1.12.2.3.0.93
olcLocalSSF=1.3.6.1.4.1.4203.1.12.2.3.0.26 olcLogFile=1.3.6.1.4.1.4203.1.12.2.3.0.27
olcLogLevel=1.3.6.1.4.1.4203.1.12.2.3.0.28 olcMaxDerefDepth=1.3.6.1.4.1.4203.1.12.2.3.2.0.6
olcMaxFilterDepth=1.3.6.1.4.1.4203.1.12.2.3.0.101 olcModuleLoad=1.3.6.1.4.1.4203.1.12.2.3.0.30
olcModulePath=1.3.6.1.4.1.4203.1.12.2.3.0.31 olcMonitoring=1.3.6.1.4.1.4203.1.12.2.3.2.0.18
olcMultiProvider,olcMirrorMode=1.3.6.1.4.1.4203.1.12.2.3.2.0.16
olcObjectClasses=1.3.6.1.4.1.4203.1.12.2.3.0.32 olcObjectIdentifier=1.3.6.1.4.1.4203.1.12.2.3.0.33
olcOverlay=1.3.6.1.4.1.4203.1.12.2.3.0.34 olcPasswordCryptSaltFormat=1.3.6.1.4.1.4203.1.12.2.3.0.35
olcPasswordHash=1.3.6.1.4.1.4203.1.12.2.3.0.36 olcPidFile=1.3.6.1.4.1.4203.1.12.2.3.0.37
olcPlugin=1.3.6.1.4.1.4203.1.12.2.3.0.38 olcPluginLogFile=1.3.6.1.4.1.4203.1.12.2.3.0.39
olcReadOnly=1.3.6.1.4.1.4203.1.12.2.3.0.40 olcReferral=1.3.6.1.4.1.4203.1.12.2.3.0.41
olcReplica=1.3.6.1.4.1.4203.1.12.2.3.2.0.7 olcReplicaArgsFile=1.3.6.1.4.1.4203.1.12.2.3.0.43
olcReplicaPidFile=1.3.6.1.4.1.4203.1.12.2.3.0.44
olcReplicationInterval=1.3.6.1.4.1.4203.1.12.2.3.0.45 olcReplogFile=1.3.6.1.4.1.4203.1.12.2.3.0.46
olcRequires=1.3.6.1.4.1.4203.1.12.2.3.0.47 olcRestrict=1.3.6.1.4.1.4203.1.12.2.3.0.48
olcReverseLookup=1.3.6.1.4.1.4203.1.12.2.3.0.49 olcRootDN=1.3.6.1.4.1.4203.1.12.2.3.2.0.8
olcRootDSE=1.3.6.1.4.1.4203.1.12.2.3.0.51 olcRootPW=1.3.6.1.4.1.4203.1.12.2.3.2.0.9
olcSaslAuxprops=1.3.6.1.4.1.4203.1.12.2.3.0.89
olcSaslAuxpropsDontUseCopy=1.3.6.1.4.1.4203.1.12.2.3.0.91
olcSaslAuxpropsDontUseCopyIgnore=1.3.6.1.4.1.4203.1.12.2.3.0.92
olcSaslCBinding=1.3.6.1.4.1.4203.1.12.2.3.0.100 olcSaslHost=1.3.6.1.4.1.4203.1.12.2.3.0.53
olcSaslRealm=1.3.6.1.4.1.4203.1.12.2.3.0.54 olcSaslSecProps=1.3.6.1.4.1.4203.1.12.2.3.0.56
olcSchemaDN=1.3.6.1.4.1.4203.1.12.2.3.0.58 olcSecurity=1.3.6.1.4.1.4203.1.12.2.3.0.59
olcServerID=1.3.6.1.4.1.4203.1.12.2.3.0.81 olcSizeLimit=1.3.6.1.4.1.4203.1.12.2.3.0.60
olcSockbufMaxIncoming=1.3.6.1.4.1.4203.1.12.2.3.0.61
olcSockbufMaxIncomingAuth=1.3.6.1.4.1.4203.1.12.2.3.0.62 olcSortVals=1.3.6.1.4.1.4203.1.12.2.3.0.83
olcSubordinate=1.3.6.1.4.1.4203.1.12.2.3.2.0.15 olcSuffix=1.3.6.1.4.1.4203.1.12.2.3.2.0.10
olcSyncrepl=1.3.6.1.4.1.4203.1.12.2.3.2.0.11 olcSyncUseSubentry=1.3.6.1.4.1.4203.1.12.2.3.2.0.19
olcTCPBuffer=1.3.6.1.4.1.4203.1.12.2.3.0.90 olcThreadQueues=1.3.6.1.4.1.4203.1.12.2.3.0.95
olcThreads=1.3.6.1.4.1.4203.1.12.2.3.0.66 olcTimeLimit=1.3.6.1.4.1.4203.1.12.2.3.0.67
olcTLSCACertificate=1.3.6.1.4.1.4203.1.12.2.3.0.97
olcTLSCACertificateFile=1.3.6.1.4.1.4203.1.12.2.3.0.68
olcTLSCACertificatePath=1.3.6.1.4.1.4203.1.12.2.3.0.69
olcTLSCertificate=1.3.6.1.4.1.4203.1.12.2.3.0.98
olcTLSCertificateFile=1.3.6.1.4.1.4203.1.12.2.3.0.70
olcTLSCertificateKey=1.3.6.1.4.1.4203.1.12.2.3.0.99
olcTLSCertificateKeyFile=1.3.6.1.4.1.4203.1.12.2.3.0.71
olcTLSCipherSuite=1.3.6.1.4.1.4203.1.12.2.3.0.72 olcTLSCRLCheck=1.3.6.1.4.1.4203.1.12.2.3.0.73
olcTLSCRLFile=1.3.6.1.4.1.4203.1.12.2.3.0.82 olcTLSDHParamFile=1.3.6.1.4.1.4203.1.12.2.3.0.77
olcTLSECName=1.3.6.1.4.1.4203.1.12.2.3.0.96 olcTLSProtocolMin=1.3.6.1.4.1.4203.1.12.2.3.0.87
olcTLSRandFile=1.3.6.1.4.1.4203.1.12.2.3.0.74 olcTLSVerifyClient=1.3.6.1.4.1.4203.1.12.2.3.0.75
olcToolThreads=1.3.6.1.4.1.4203.1.12.2.3.0.80 olcUpdateDN=1.3.6.1.4.1.4203.1.12.2.3.2.0.12
olcUpdateRef=1.3.6.1.4.1.4203.1.12.2.3.2.0.13 olcWriteTimeout=1.3.6.1.4.1.4203.1.12.2.3.0.88
oncRpcNumber=1.3.6.1.1.1.1.18 organizationalStatus=0.9.2342.19200300.100.1.45
otherMailbox=0.9.2342.19200300.100.1.22 ou,organizationalUnitName=2.5.4.11 owner=2.5.4.32
pager,pagerTelephoneNumber=0.9.2342.19200300.100.1.42 personalSignature=0.9.2342.19200300.100.1.53
personalTitle=0.9.2342.19200300.100.1.40 photo=0.9.2342.19200300.100.1.7
physicalDeliveryOfficeName=2.5.4.19 pKCS8PrivateKey=1.3.6.1.4.1.4203.666.1.60 postalAddress=2.5.4.16
postalCode=2.5.4.17 postOfficeBox=2.5.4.18 preferredDeliveryMethod=2.5.4.28
preferredLanguage=2.16.840.1.113730.3.1.39 presentationAddress=2.5.4.29 protocolInformation=2.5.4.48
pseudonym=2.5.4.65 pwdLastSuccess=1.3.6.1.4.1.42.2.27.8.1.29 ref=2.16.840.1.113730.3.1.34
registeredAddress=2.5.4.26 roleOccupant=2.5.4.33 roomNumber=0.9.2342.19200300.100.1.6
searchGuide=2.5.4.14 secretary=0.9.2342.19200300.100.1.21 seeAlso=2.5.4.34 serialNumber=2.5.4.5
shadowExpire=1.3.6.1.1.1.1.10 shadowFlag=1.3.6.1.1.1.1.11 shadowInactive=1.3.6.1.1.1.1.9
shadowLastChange=1.3.6.1.1.1.1.5 shadowMax=1.3.6.1.1.1.1.7 shadowMin=1.3.6.1.1.1.1.6
shadowWarning=1.3.6.1.1.1.1.8 singleLevelQuality=0.9.2342.19200300.100.1.50 sn,surname=2.5.4.4
sOARecord=0.9.2342.19200300.100.1.30 st,stateOrProvinceName=2.5.4.8 street,streetAddress=2.5.4.9
structuralObjectClass=2.5.21.9 subschemaSubentry=2.5.18.10
subtreeMaximumQuality=0.9.2342.19200300.100.1.52 subtreeMinimumQuality=0.9.2342.19200300.100.1.51
supportedAlgorithms=2.5.4.52 supportedApplicationContext=2.5.4.30
supportedControl=1.3.6.1.4.1.1466.101.120.13 supportedExtension=1.3.6.1.4.1.1466.101.120.7
supportedFeatures=1.3.6.1.4.1.4203.1.3.5 supportedLDAPVersion=1.3.6.1.4.1.1466.101.120.15
supportedSASLMechanisms=1.3.6.1.4.1.1466.101.120.14 telephoneNumber=2.5.4.20
teletexTerminalIdentifier=2.5.4.22 telexNumber=2.5.4.21
textEncodedORAddress=0.9.2342.19200300.100.1.2 title=2.5.4.12 uid,userid=0.9.2342.19200300.100.1.1
uidNumber=1.3.6.1.1.1.1.0 uniqueIdentifier=0.9.2342.19200300.100.1.44 uniqueMember=2.5.4.50
userCertificate=2.5.4.36 userClass=0.9.2342.19200300.100.1.8 userPassword=2.5.4.35
userPKCS12=2.16.840.1.113730.3.1.216 userSMIMECertificate=2.16.840.1.113730.3.1.40
vendorName=1.3.6.1.1.4 vendorVersion=1.3.6.1.1.5 x121Address=2.5.4.24 x500UniqueIdentifier=2.5.4.45
"""

# Debian's /etc/ldap/schema files the tests' slapd does not load (collective, corba,
# dsee, duaconf, dyngroup, java, misc, namedobject, openldap, pmi; not msuser's 940
# Active Directory types), less the definitions whose names and OID all are in
# SLAPD_TYPES or 389-DS's lists. OIDs as the files' olcObjectIdentifier macros spell
# them out.
OTHER_SLAPD_TYPES = """
aACertificate=2.5.4.61 attributeAuthorityRevocationList=2.5.4.63
attributeCertificateAttribute=2.5.4.58 attributeCertificateRevocationList=2.5.4.59
attributeDescriptorCertificate=2.5.4.62 attributeMap=1.3.6.1.4.1.11.1.3.1.1.9
authenticationMethod=1.3.6.1.4.1.11.1.3.1.1.6 bindTimeLimit=1.3.6.1.4.1.11.1.3.1.1.4
c-FacsimileTelephoneNumber=2.5.4.23.1 c-InternationalISDNNumber=2.5.4.25.1 c-l=2.5.4.7.1
c-o=2.5.4.10.1 c-ou=2.5.4.11.1 c-PhysicalDeliveryOfficeName=2.5.4.19.1 c-PostalAddress=2.5.4.16.1
c-PostalCode=2.5.4.17.1 c-PostOfficeBox=2.5.4.18.1 c-st=2.5.4.8.1 c-street=2.5.4.9.1
c-TelephoneNumber=2.5.4.20.1 c-TelexNumber=2.5.4.21.1 corbaIor=1.3.6.1.4.1.42.2.27.4.1.14
corbaRepositoryId=1.3.6.1.4.1.42.2.27.4.1.15 credentialLevel=1.3.6.1.4.1.11.1.3.1.1.10
defaultSearchBase=1.3.6.1.4.1.11.1.3.1.1.1 defaultSearchScope=1.3.6.1.4.1.11.1.3.1.1.12
defaultServerList=1.3.6.1.4.1.11.1.3.1.1.0 delegationPath=2.5.4.73
dereferenceAliases=1.3.6.1.4.1.11.1.3.1.1.16 dgAuthz=1.3.6.1.4.1.4203.666.11.8.1.2
dgIdentity=1.3.6.1.4.1.4203.666.11.8.1.1 dgMemberOf=1.3.6.1.4.1.4203.666.11.8.1.3
followReferrals=1.3.6.1.4.1.11.1.3.1.1.5 mailLocalAddress=2.16.840.1.113730.3.1.13
mailRoutingAddress=2.16.840.1.113730.3.1.47 objectclassMap=1.3.6.1.4.1.11.1.3.1.1.11
preferredServerList=1.3.6.1.4.1.11.1.3.1.1.2 privPolicy=2.5.4.71 profileTTL=1.3.6.1.4.1.11.1.3.1.1.7
protPrivPolicy=2.5.4.74 rfc822MailMember=1.3.6.1.4.1.42.2.27.2.1.15 role=2.5.4.72
searchTimeLimit=1.3.6.1.4.1.11.1.3.1.1.3 serviceAuthenticationMethod=1.3.6.1.4.1.11.1.3.1.1.15
serviceCredentialLevel=1.3.6.1.4.1.11.1.3.1.1.13 serviceSearchDescriptor=1.3.6.1.4.1.11.1.3.1.1.14
targetUniqueId=1.3.6.1.4.1.42.2.27.9.1.596 xmlPrivilegeInfo=2.5.4.75 xmlPrivPolicy=2.5.4.76
"""
