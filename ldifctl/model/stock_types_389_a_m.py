"""The attribute types 389-DS 2.3.1 knows out of the box named A to M: a part of the
definitions of its subschema (cn=schema) with its default schema, as the tests run it.
stock_types.py says what they are for; tests/model/test_stock_types.py holds the four
parts (stock_types_389_a_m, _n, _nsslapd, _o_z) together to the server."""

DS389_TYPES_A_M = """
accessTo=5.3.6.1.1.1.1.1 accountInactivityLimit=1.3.6.1.4.1.11.1.3.2.1.3
accountUnlockTime=2.16.840.1.113730.3.1.95 acctPolicySubentry=1.3.6.1.4.1.11.1.3.2.1.2
aci=2.16.840.1.113730.3.1.55 administratorContactInfo=2.16.840.1.113730.3.1.74
adminRole=2.16.840.1.113730.3.1.601 adminUrl=2.16.840.1.113730.3.1.75 aliasedObjectName=2.5.4.1
allowWeakCipher allowWeakDHParam=2.16.840.1.113730.3.1.2332 altServer=1.3.6.1.4.1.1466.101.120.6
associatedDomain=0.9.2342.19200300.100.1.37 associatedName=0.9.2342.19200300.100.1.38
attributeTypes=2.5.21.5 audio=0.9.2342.19200300.100.1.55 authorityRevocationList=2.5.4.38
authorizedService=1.3.6.1.4.1.5322.17.2.1 autoMemberDefaultGroup=2.16.840.1.113730.3.1.2101
autoMemberDisabled=2.16.840.1.113730.3.1.2103 autoMemberExclusiveRegex=2.16.840.1.113730.3.1.2099
autoMemberFilter=2.16.840.1.113730.3.1.2098 autoMemberGroupingAttr=2.16.840.1.113730.3.1.2102
autoMemberInclusiveRegex=2.16.840.1.113730.3.1.2100 autoMemberScope=2.16.840.1.113730.3.1.2097
autoMemberTargetGroup=2.16.840.1.113730.3.1.2105 automountInformation=1.3.6.1.1.1.1.33
automountKey=1.3.6.1.1.1.1.32 automountMapName=1.3.6.1.1.1.1.31
availableSASLMechanisms=2.16.840.1.113730.3.1.2386 bootFile=1.3.6.1.1.1.1.24
bootParameter=1.3.6.1.1.1.1.23 buildingName=0.9.2342.19200300.100.1.48 businessCategory=2.5.4.15
c,countryName=2.5.4.6 CACertExtractFile cACertificate=2.5.4.37 calCalAdrURI=1.2.840.113556.1.4.481
calCalURI=1.2.840.113556.1.4.478 calCAPURI=1.2.840.113556.1.4.480 calFBURL=1.2.840.113556.1.4.479
calOtherCalAdrURIs=1.2.840.113556.1.4.485 calOtherCalURIs=1.2.840.113556.1.4.482
calOtherCAPURIs=1.2.840.113556.1.4.484 calOtherFBURLs=1.2.840.113556.1.4.483
carLicense=2.16.840.1.113730.3.1.1 certificateRevocationList=2.5.4.39
changeLog=2.16.840.1.113730.3.1.35 changeLogMaximumAge=2.16.840.1.113730.3.1.200
changeLogMaximumConcurrentWrites=2.16.840.1.113730.3.1.205
changeLogMaximumSize=2.16.840.1.113730.3.1.201 changeNumber=2.16.840.1.113730.3.1.5
changes=2.16.840.1.113730.3.1.8 changeTime=2.16.840.1.113730.3.1.77
changeType=2.16.840.1.113730.3.1.7 cirBeginORC=2.16.840.1.113730.3.1.90
cirBindCredentials=2.16.840.1.113730.3.1.85 cirBindDn=2.16.840.1.113730.3.1.82
cirHost=2.16.840.1.113730.3.1.80 cirLastUpdateApplied=2.16.840.1.113730.3.1.86
cirPort=2.16.840.1.113730.3.1.81 cirReplicaRoot=2.16.840.1.113730.3.1.79
cirSyncInterval=2.16.840.1.113730.3.1.89 cirUpdateFailedat=2.16.840.1.113730.3.1.88
cirUpdateSchedule=2.16.840.1.113730.3.1.87 cirUsePersistentSearch=2.16.840.1.113730.3.1.83
cirUseSsl=2.16.840.1.113730.3.1.84 cn,commonName=2.5.4.3
co,friendlycountryname=0.9.2342.19200300.100.1.43 ConflictCSN=2.16.840.1.113730.3.1.2401
connection=2.16.840.1.113730.3.1.2095 copiedFrom=2.16.840.1.113730.3.1.613
copyingFrom=2.16.840.1.113730.3.1.614 cosAttribute=2.16.840.1.113730.3.1.550
cosIndirectSpecifier=2.16.840.1.113730.3.1.577 cosPriority=2.16.840.1.113730.3.1.569
cosspecifier=2.16.840.1.113730.3.1.551 costargettree=2.16.840.1.113730.3.1.552
costemplatedn=2.16.840.1.113730.3.1.553 createTimestamp=2.5.18.1 creatorsName=2.5.18.3
crossCertificatePair=2.5.4.40 dc,domaincomponent=0.9.2342.19200300.100.1.25
deleteOldRdn=2.16.840.1.113730.3.1.10 deltaRevocationList=2.5.4.53
departmentNumber=2.16.840.1.113730.3.1.2 description=2.5.4.13 destinationIndicator=2.5.4.27
displayName=2.16.840.1.113730.3.1.241 distinguishedName,dn=2.5.4.49 dITContentRules=2.5.21.2
ditRedirect=0.9.2342.19200300.100.1.54 dITStructureRules=2.5.21.1 dmdName=2.5.4.54
dnaExcludeScope=2.16.840.1.113730.3.1.2312 dnaFilter=2.16.840.1.113730.3.1.2120
dnaHostname=2.16.840.1.113730.3.1.2126 dnaInterval=2.16.840.1.113730.3.1.2118
dnaMagicRegen=2.16.840.1.113730.3.1.2119 dnaMaxValue=2.16.840.1.113730.3.1.2122
dnaNextRange=2.16.840.1.113730.3.1.2129 dnaNextValue=2.16.840.1.113730.3.1.2117
dnaPortNum=2.16.840.1.113730.3.1.2127 dnaPrefix=2.16.840.1.113730.3.1.2116
dnaRangeRequestTimeout=2.16.840.1.113730.3.1.2130 dnaRemainingValues=2.16.840.1.113730.3.1.2124
dnaRemoteBindCred=2.16.840.1.113730.3.1.2157 dnaRemoteBindDN=2.16.840.1.113730.3.1.2158
dnaRemoteBindMethod=2.16.840.1.113730.3.1.2160 dnaRemoteConnProtocol=2.16.840.1.113730.3.1.2159
dnaScope=2.16.840.1.113730.3.1.2121 dnaSecurePortNum=2.16.840.1.113730.3.1.2128
dnaSharedCfgDN=2.16.840.1.113730.3.1.2123 dnaThreshold=2.16.840.1.113730.3.1.2125
dnaType=2.16.840.1.113730.3.1.2115 dncomp=2.16.840.1.113730.3.1.603 dnQualifier=2.5.4.46
documentAuthor=0.9.2342.19200300.100.1.14 documentIdentifier=0.9.2342.19200300.100.1.11
documentLocation=0.9.2342.19200300.100.1.15 documentPublisher=0.9.2342.19200300.100.1.56
documentTitle=0.9.2342.19200300.100.1.12 documentVersion=0.9.2342.19200300.100.1.13
drink,favouriteDrink=0.9.2342.19200300.100.1.5 dsEntryDN=2.16.840.1.113730.3.1.2391
dsOnlyMemberUid=2.16.840.1.113730.3.1.2141 eduPersonAffiliation=1.3.6.1.4.1.5923.1.1.1.1
eduPersonAssurance=1.3.6.1.4.1.5923.1.1.1.11 eduPersonEntitlement=1.3.6.1.4.1.5923.1.1.1.7
eduPersonNickName=1.3.6.1.4.1.5923.1.1.1.2 eduPersonOrcid=1.3.6.1.4.1.5923.1.1.1.16
eduPersonOrgDN=1.3.6.1.4.1.5923.1.1.1.3 eduPersonOrgUnitDN=1.3.6.1.4.1.5923.1.1.1.4
eduPersonPrimaryAffiliation=1.3.6.1.4.1.5923.1.1.1.5
eduPersonPrimaryOrgUnitDN=1.3.6.1.4.1.5923.1.1.1.8 eduPersonPrincipalName=1.3.6.1.4.1.5923.1.1.1.6
eduPersonPrincipalNamePrior=1.3.6.1.4.1.5923.1.1.1.12
eduPersonScopedAffiliation=1.3.6.1.4.1.5923.1.1.1.9 eduPersonTargetedID=1.3.6.1.4.1.5923.1.1.1.10
eduPersonUniqueId=1.3.6.1.4.1.5923.1.1.1.13 employeeNumber=2.16.840.1.113730.3.1.3
employeeType=2.16.840.1.113730.3.1.4 enhancedSearchGuide=2.5.4.47 entrydn=2.16.840.1.113730.3.1.602
entryid=2.16.840.1.113730.3.1.605 entryusn=2.16.840.1.113730.3.1.2096 entryUUID=1.3.6.1.1.16.4
facsimileTelephoneNumber,fax=2.5.4.23 filterInfo=2.16.840.1.113730.3.1.206
FTPDownloadBandwidth=1.3.6.1.4.1.6981.11.3.6 FTPDownloadRatio=1.3.6.1.4.1.6981.11.3.4
FTPgid=1.3.6.1.4.1.6981.11.3.9 FTPQuotaFiles=1.3.6.1.4.1.6981.11.3.1
FTPQuotaMBytes=1.3.6.1.4.1.6981.11.3.2 FTPStatus=1.3.6.1.4.1.6981.11.3.7
FTPuid=1.3.6.1.4.1.6981.11.3.8 FTPUploadBandwidth=1.3.6.1.4.1.6981.11.3.5
FTPUploadRatio=1.3.6.1.4.1.6981.11.3.3 gecos=1.3.6.1.1.1.1.2 generation=2.16.840.1.113730.3.1.612
generationQualifier=2.5.4.44 gidNumber=1.3.6.1.1.1.1.1 givenName,gn=2.5.4.42
governingStructureRule=2.5.21.10 hasSubordinates=2.5.18.9 homeDirectory=1.3.6.1.1.1.1.3
homePhone,homeTelephoneNumber=0.9.2342.19200300.100.1.20
homePostalAddress=0.9.2342.19200300.100.1.39 host=0.9.2342.19200300.100.1.9 houseIdentifier=2.5.4.51
inetDomainBaseDN=2.16.840.1.113730.3.1.690 inetDomainStatus=2.16.840.1.113730.3.1.691
inetSubscriberAccountId=2.16.840.1.113730.3.1.694 inetSubscriberChallenge=2.16.840.1.113730.3.1.695
inetSubscriberResponse=2.16.840.1.113730.3.1.696 inetUserHttpURL=2.16.840.1.113730.3.1.693
inetUserStatus=2.16.840.1.113730.3.1.692 info=0.9.2342.19200300.100.1.4 initials=2.5.4.43
installationTimeStamp=2.16.840.1.113730.3.1.73 internalCreatorsName=2.16.840.1.113730.3.1.2114
internalModifiersName=2.16.840.1.113730.3.1.2113 internationalISDNNumber=2.5.4.25
ipHostNumber=1.3.6.1.1.1.1.19 ipNetmaskNumber=1.3.6.1.1.1.1.21 ipNetworkNumber=1.3.6.1.1.1.1.20
ipProtocolNumber=1.3.6.1.1.1.1.17 ipServicePort=1.3.6.1.1.1.1.15 ipServiceProtocol=1.3.6.1.1.1.1.16
isReplicated=2.16.840.1.113730.3.1.2085 javaClassName=1.3.6.1.4.1.42.2.27.4.1.6
javaClassNames=1.3.6.1.4.1.42.2.27.4.1.13 javaCodebase=1.3.6.1.4.1.42.2.27.4.1.7
javaDoc=1.3.6.1.4.1.42.2.27.4.1.12 javaFactory=1.3.6.1.4.1.42.2.27.4.1.10
javaReferenceAddress=1.3.6.1.4.1.42.2.27.4.1.11 javaSerializedData=1.3.6.1.4.1.42.2.27.4.1.8
jpegPhoto=0.9.2342.19200300.100.1.60 knowledgeInformation=2.5.4.2 l,locality,localityname=2.5.4.7
labeledURI,labeledurl=1.3.6.1.4.1.250.1.57 lastLoginTime=2.16.840.1.113719.1.1.4.1.35
lastModifiedBy=0.9.2342.19200300.100.1.24 lastModifiedTime=0.9.2342.19200300.100.1.23
ldapSchemas=1.3.6.1.4.1.1466.101.120.17 ldapSyntaxes=1.3.6.1.4.1.1466.101.120.16
legalName=2.16.840.1.113730.3.1.2343 loginShell=1.3.6.1.1.1.1.4 macAddress=1.3.6.1.1.1.1.22
mail,rfc822mailbox=0.9.2342.19200300.100.1.3 mailAccessDomain=2.16.840.1.113730.3.1.12
mailAlternateAddress=2.16.840.1.113730.3.1.13 mailAutoReplyMode=2.16.840.1.113730.3.1.14
mailAutoReplyText=2.16.840.1.113730.3.1.15 mailDeliveryOption=2.16.840.1.113730.3.1.16
mailEnhancedUniqueMember=2.16.840.1.113730.3.1.31 mailForwardingAddress=2.16.840.1.113730.3.1.17
mailHost=2.16.840.1.113730.3.1.18 mailMessageStore=2.16.840.1.113730.3.1.19
mailProgramDeliveryInfo=2.16.840.1.113730.3.1.20 mailQuota=2.16.840.1.113730.3.1.21
mailRoutingAddress=2.16.840.1.113730.3.1.24 managedBase=2.16.840.1.113730.3.1.2362
managedTemplate=2.16.840.1.113730.3.1.2363 manager=0.9.2342.19200300.100.1.10 matchingRules=2.5.21.4
matchingRuleUse=2.5.21.8 member=2.5.4.31 memberCertificateDescription=2.16.840.1.113730.3.1.199
memberNisNetgroup=1.3.6.1.1.1.1.13 memberOf=1.2.840.113556.1.2.102 memberUid=1.3.6.1.1.1.1.12
memberURL=2.16.840.1.113730.3.1.198 mepManagedBy=2.16.840.1.113730.3.1.2086
mepManagedEntry=2.16.840.1.113730.3.1.2087 mepMappedAttr=2.16.840.1.113730.3.1.2089
mepRDNAttr=2.16.840.1.113730.3.1.2090 mepStaticAttr=2.16.840.1.113730.3.1.2088
mgrpAddHeader=2.16.840.1.113730.3.1.781 mgrpAllowedBroadcaster=2.16.840.1.113730.3.1.22
mgrpAllowedDomain=2.16.840.1.113730.3.1.23 mgrpApprovePassword
mgrpBroadcasterPolicy=2.16.840.1.113730.3.1.788 mgrpDeliverTo=2.16.840.1.113730.3.1.25
mgrpErrorsTo=2.16.840.1.113730.3.1.26 mgrpModerator=2.16.840.1.113730.3.1.33
mgrpMsgMaxSize=2.16.840.1.113730.3.1.32 mgrpMsgRejectAction=2.16.840.1.113730.3.1.28
mgrpMsgRejectText=2.16.840.1.113730.3.1.29 mgrpNoDuplicateChecks=2.16.840.1.113730.3.1.789
mgrpRemoveHeader=2.16.840.1.113730.3.1.801 mgrpRFC822MailMember=2.16.840.1.113730.3.1.30
mobile,mobileTelephoneNumber=0.9.2342.19200300.100.1.41 modifiersName=2.5.18.4
modifyTimestamp=2.5.18.2 mozillaCustom1=1.3.6.1.4.1.13769.4.1 mozillaCustom2=1.3.6.1.4.1.13769.4.2
mozillaCustom3=1.3.6.1.4.1.13769.4.3 mozillaCustom4=1.3.6.1.4.1.13769.4.4
mozillaHomeCountryName=1.3.6.1.4.1.13769.3.6 mozillaHomeLocalityName=1.3.6.1.4.1.13769.3.3
mozillaHomePostalCode=1.3.6.1.4.1.13769.3.5 mozillaHomeState=1.3.6.1.4.1.13769.3.4
mozillaHomeStreet2=1.3.6.1.4.1.13769.3.2 mozillaHomeStreet=1.3.6.1.4.1.13769.3.1
mozillaHomeUrl=1.3.6.1.4.1.13769.3.7 mozillaNickname,xmozillanickname=1.3.6.1.4.1.13769.2.1
mozillaSecondEmail,xmozillasecondemail=1.3.6.1.4.1.13769.2.2
mozillaUseHtmlMail,xmozillausehtmlmail=1.3.6.1.4.1.13769.2.3
mozillaWorkStreet2=1.3.6.1.4.1.13769.3.8 mozillaWorkUrl=1.3.6.1.4.1.13769.3.9
multiLineDescription=1.3.6.1.4.1.250.1.2
"""
