"""The attribute types 389-DS 2.3.1 knows out of the box named O to Z: a part of the
definitions of its subschema (cn=schema) with its default schema, as the tests run it.
stock_types.py says what they are for; tests/model/test_stock_types.py holds the four
parts (stock_types_389_a_m, _n, _nsslapd, _o_z) together to the server."""

DS389_TYPES_O_Z = """
o,organizationname=2.5.4.10 objectClass=2.5.4.0 objectClasses=2.5.21.6 oid=2.16.840.1.113730.3.1.215
oncRpcNumber=1.3.6.1.1.1.1.18 oneWaySync=2.16.840.1.113730.3.1.1100
organizationalStatus=0.9.2342.19200300.100.1.45 originFilter=2.16.840.1.113730.3.1.2361
originScope=2.16.840.1.113730.3.1.2360 ou,organizationalUnitName=2.5.4.11 owner=2.5.4.32
pager,pagerTelephoneNumber=0.9.2342.19200300.100.1.42 pamExcludeSuffix=2.16.840.1.113730.3.1.2068
pamFallback=2.16.840.1.113730.3.1.2072 pamFilter=2.16.840.1.113730.3.1.2131
pamIDAttr=2.16.840.1.113730.3.1.2071 pamIDMapMethod=2.16.840.1.113730.3.1.2070
pamIncludeSuffix=2.16.840.1.113730.3.1.2067 pamMissingSuffix=2.16.840.1.113730.3.1.2069
pamSecure=2.16.840.1.113730.3.1.2073 pamService=2.16.840.1.113730.3.1.2074
parentid=2.16.840.1.113730.3.1.604 parentOrganization=1.3.6.1.4.1.1466.101.120.41
passwordAdminDN,pwdAdminDN=2.16.840.1.113730.3.1.2153
passwordAllowChangeTime=2.16.840.1.113730.3.1.214
passwordBadWords,pwdBadWords=2.16.840.1.113730.3.1.2352
passwordChange,pwdAllowUserChange=2.16.840.1.113730.3.1.102
passwordCheckSyntax,pwdCheckSyntax=2.16.840.1.113730.3.1.103
passwordDictCheck,pwdDictCheck=2.16.840.1.113730.3.1.2349
passwordDictPath,pwdDictPath=2.16.840.1.113730.3.1.2350 passwordExp=2.16.840.1.113730.3.1.98
passwordExpirationTime=2.16.840.1.113730.3.1.91
passwordExpWarned,pwdExpirationWarned=2.16.840.1.113730.3.1.92
passwordGraceLimit,pwdGraceLoginLimit,pwdGraceAuthNLimit=2.16.840.1.113730.3.1.999
passwordGraceUserTime,pwdGraceUserTime=2.16.840.1.113730.3.1.998
passwordHistory,pwdHistory=2.16.840.1.113730.3.1.96
passwordInHistory,pwdInHistory=2.16.840.1.113730.3.1.101
passwordIsGlobalPolicy=2.16.840.1.113730.3.1.2255 passwordKeepHistory=2.16.840.1.113730.3.1.100
passwordLegacyPolicy=2.16.840.1.113730.3.1.2256 passwordLockout,pwdLockOut=2.16.840.1.113730.3.1.105
passwordLockoutDuration,pwdLockoutDuration=2.16.840.1.113730.3.1.109
passwordMaxAge,pwdMaxAge=2.16.840.1.113730.3.1.97
passwordMaxClassChars,pwdMaxClassChars=2.16.840.1.113730.3.1.2348
passwordMaxFailure,pwdMaxFailure=2.16.840.1.113730.3.1.106
passwordMaxRepeats,pwdMaxRepeats=2.16.840.1.113730.3.1.2081
passwordMaxSeqSets,pwdMaxSeqSets=2.16.840.1.113730.3.1.2347
passwordMaxSequence,pwdMaxSequence=2.16.840.1.113730.3.1.2346
passwordMin8bit,pwdMin8bit=2.16.840.1.113730.3.1.2080
passwordMinAge,pwdMinAge=2.16.840.1.113730.3.1.222
passwordMinAlphas,pwdMinAlphas=2.16.840.1.113730.3.1.2076
passwordMinCategories,pwdMinCategories=2.16.840.1.113730.3.1.2082
passwordMinDigits,pwdMinDigits=2.16.840.1.113730.3.1.2075
passwordMinLength,pwdMinLength=2.16.840.1.113730.3.1.99
passwordMinLowers,pwdMinLowers=2.16.840.1.113730.3.1.2078
passwordMinSpecials,pwdMinSpecials=2.16.840.1.113730.3.1.2079
passwordMinTokenLength,pwdMinTokenLength=2.16.840.1.113730.3.1.2083
passwordMinUppers,pwdMinUppers=2.16.840.1.113730.3.1.2077
passwordMustChange,pwdMustChange=2.16.840.1.113730.3.1.220
passwordPalindrome,pwdPalindrome=2.16.840.1.113730.3.1.2345
passwordResetDuration=2.16.840.1.113730.3.1.107
passwordResetFailureCount,pwdFailureCountInterval=2.16.840.1.113730.3.1.223
passwordRetryCount=2.16.840.1.113730.3.1.93
passwordSendExpiringTime,pwdSendExpiringTime=2.16.840.1.113730.3.1.2329
passwordStorageScheme=2.16.840.1.113730.3.1.221 passwordTPRDelayExpireAt=2.16.840.1.113730.3.1.2383
passwordTPRDelayValidFrom=2.16.840.1.113730.3.1.2384 passwordTPRMaxUse=2.16.840.1.113730.3.1.2382
passwordTrackUpdateTime=2.16.840.1.113730.3.1.2140 passwordUnlock=2.16.840.1.113730.3.1.108
passwordUserAttributes,pwdUserAttributes=2.16.840.1.113730.3.1.2351
passwordWarning,pwdExpireWarning=2.16.840.1.113730.3.1.104 personalTitle=0.9.2342.19200300.100.1.40
photo=0.9.2342.19200300.100.1.7 physicalDeliveryOfficeName=2.5.4.19 postalAddress=2.5.4.16
postalCode=2.5.4.17 postOfficeBox=2.5.4.18 preferredDeliveryMethod=2.5.4.28
preferredLanguage=2.16.840.1.113730.3.1.39 preferredLocale=1.3.6.1.4.1.1466.101.120.42
preferredTimeZone=1.3.6.1.4.1.1466.101.120.43 presentationAddress=2.5.4.29
printer-aliases=1.3.18.0.2.4.1108 printer-charset-configured=1.3.18.0.2.4.1109
printer-charset-supported=1.3.18.0.2.4.1131 printer-color-supported=1.3.18.0.2.4.1129
printer-compression-supported=1.3.18.0.2.4.1128 printer-copies-supported=1.3.18.0.2.4.1118
printer-current-operator=1.3.18.0.2.4.1112 printer-delivery-orientation-supported=1.3.18.0.2.4.1114
printer-document-format-supported=1.3.18.0.2.4.1130 printer-finishings-supported=1.3.18.0.2.4.1125
printer-generated-natural-language-supported=1.3.18.0.2.4.1137 printer-info=1.3.18.0.2.4.1139
printer-ipp-versions-supported=1.3.18.0.2.4.1133 printer-job-k-octets-supported=1.3.18.0.2.4.1111
printer-job-priority-supported=1.3.18.0.2.4.1110 printer-location=1.3.18.0.2.4.1136
printer-make-and-model=1.3.18.0.2.4.1138 printer-media-local-supported=1.3.18.0.2.4.1117
printer-media-supported=1.3.18.0.2.4.1122 printer-more-info=1.3.18.0.2.4.1134
printer-multiple-document-jobs-supported=1.3.18.0.2.4.1132 printer-name=1.3.18.0.2.4.1135
printer-natural-language-configured=1.3.18.0.2.4.1119 printer-number-up-supported=1.3.18.0.2.4.1124
printer-output-features-supported=1.3.18.0.2.4.1116 printer-pages-per-minute-color=1.3.18.0.2.4.1126
printer-pages-per-minute=1.3.18.0.2.4.1127 printer-print-quality-supported=1.3.18.0.2.4.1120
printer-resolution-supported=1.3.18.0.2.4.1121 printer-service-person=1.3.18.0.2.4.1113
printer-sides-supported=1.3.18.0.2.4.1123 printer-stacking-order-supported=1.3.18.0.2.4.1115
printer-uri=1.3.18.0.2.4.1140 printer-xri-supported=1.3.18.0.2.4.1107 protocolInformation=2.5.4.48
pwdpolicysubentry=2.16.840.1.113730.3.1.997 pwdReset=2.16.840.1.113730.3.1.2366
pwdTPRExpireAt=2.16.840.1.113730.3.1.2381 pwdTPRReset=2.16.840.1.113730.3.1.2378
pwdTPRUseCount=2.16.840.1.113730.3.1.2379 pwdTPRValidFrom=2.16.840.1.113730.3.1.2380
pwdUpdateTime=2.16.840.1.113730.3.1.2133 ref=2.16.840.1.113730.3.1.34 registeredAddress=2.5.4.26
replicaAbandonedChanges=2.16.840.1.113730.3.1.218 replicaBeginOrc=2.16.840.1.113730.3.1.50
replicaBindDn=2.16.840.1.113730.3.1.58 replicaBindMethod=2.16.840.1.113730.3.1.53
replicaCFUpdated=2.16.840.1.113730.3.1.217 replicaCredentials=2.16.840.1.113730.3.1.202
replicaEntryFilter=2.16.840.1.113730.3.1.203 replicaHost=2.16.840.1.113730.3.1.197
replicaLastRelevantChange=2.16.840.1.113730.3.1.408 replicaNickName=2.16.840.1.113730.3.1.204
replicaPort=2.16.840.1.113730.3.1.48 replicaRoot=2.16.840.1.113730.3.1.57
replicatedattributelist=2.16.840.1.113730.3.1.240 replicaUpdateFailedAt=2.16.840.1.113730.3.1.49
replicaUpdateReplayed=2.16.840.1.113730.3.1.51 replicaUpdateSchedule=2.16.840.1.113730.3.1.52
replicaUseSSL=2.16.840.1.113730.3.1.54 retryCountResetTime=2.16.840.1.113730.3.1.94
roleOccupant=2.5.4.33 roomNumber=0.9.2342.19200300.100.1.6
rootdn-allow-host=2.16.840.1.113730.3.1.2147 rootdn-allow-ip=2.16.840.1.113730.3.1.2149
rootdn-close-time=2.16.840.1.113730.3.1.2145 rootdn-days-allowed=2.16.840.1.113730.3.1.2146
rootdn-deny-host=2.16.840.1.113730.3.1.2148 rootdn-deny-ip=2.16.840.1.113730.3.1.2150
rootdn-open-time=2.16.840.1.113730.3.1.2144 sabayonProfileName=1.3.6.1.4.1.2312.4.3.3.2
sabayonProfileURL=1.3.6.1.4.1.2312.4.3.3.1 sambaAcctFlags=1.3.6.1.4.1.7165.2.1.26
sambaAlgorithmicRidBase=1.3.6.1.4.1.7165.2.1.40 sambaBadPasswordCount=1.3.6.1.4.1.7165.2.1.48
sambaBadPasswordTime=1.3.6.1.4.1.7165.2.1.49 sambaBoolOption=1.3.6.1.4.1.7165.2.1.43
sambaClearTextPassword=1.3.6.1.4.1.7165.2.1.68 sambaDomainName=1.3.6.1.4.1.7165.2.1.38
sambaFlatName=1.3.6.1.4.1.7165.2.1.74 sambaForceLogoff=1.3.6.1.4.1.7165.2.1.66
sambaGroupType=1.3.6.1.4.1.7165.2.1.19 sambaHomeDrive=1.3.6.1.4.1.7165.2.1.33
sambaHomePath=1.3.6.1.4.1.7165.2.1.37 sambaIntegerOption=1.3.6.1.4.1.7165.2.1.44
sambaKickoffTime=1.3.6.1.4.1.7165.2.1.32 sambaLMPassword=1.3.6.1.4.1.7165.2.1.24
sambaLockoutDuration=1.3.6.1.4.1.7165.2.1.63 sambaLockoutObservationWindow=1.3.6.1.4.1.7165.2.1.64
sambaLockoutThreshold=1.3.6.1.4.1.7165.2.1.65 sambaLogoffTime=1.3.6.1.4.1.7165.2.1.31
sambaLogonHours=1.3.6.1.4.1.7165.2.1.55 sambaLogonScript=1.3.6.1.4.1.7165.2.1.34
sambaLogonTime=1.3.6.1.4.1.7165.2.1.30 sambaLogonToChgPwd=1.3.6.1.4.1.7165.2.1.60
sambaMaxPwdAge=1.3.6.1.4.1.7165.2.1.61 sambaMinPwdAge=1.3.6.1.4.1.7165.2.1.62
sambaMinPwdLength=1.3.6.1.4.1.7165.2.1.58 sambaMungedDial=1.3.6.1.4.1.7165.2.1.47
sambaNextGroupRid=1.3.6.1.4.1.7165.2.1.22 sambaNextRid=1.3.6.1.4.1.7165.2.1.39
sambaNextUserRid=1.3.6.1.4.1.7165.2.1.21 sambaNTPassword=1.3.6.1.4.1.7165.2.1.25
sambaOptionName=1.3.6.1.4.1.7165.2.1.42 sambaPasswordHistory=1.3.6.1.4.1.7165.2.1.54
sambaPreviousClearTextPassword=1.3.6.1.4.1.7165.2.1.69 sambaPrimaryGroupSID=1.3.6.1.4.1.7165.2.1.23
sambaProfilePath=1.3.6.1.4.1.7165.2.1.35 sambaPwdCanChange=1.3.6.1.4.1.7165.2.1.28
sambaPwdHistoryLength=1.3.6.1.4.1.7165.2.1.59 sambaPwdLastSet=1.3.6.1.4.1.7165.2.1.27
sambaPwdMustChange=1.3.6.1.4.1.7165.2.1.29 sambaRefuseMachinePwdChange=1.3.6.1.4.1.7165.2.1.67
sambaSecurityIdentifier=1.3.6.1.4.1.7165.2.1.77 sambaShareName=1.3.6.1.4.1.7165.2.1.41
sambaSID=1.3.6.1.4.1.7165.2.1.20 sambaSIDList=1.3.6.1.4.1.7165.2.1.51
sambaStringListOption=1.3.6.1.4.1.7165.2.1.46 sambaStringOption=1.3.6.1.4.1.7165.2.1.45
sambaSupportedEncryptionTypes=1.3.6.1.4.1.7165.2.1.80 sambaTrustAttributes=1.3.6.1.4.1.7165.2.1.71
sambaTrustAuthIncoming=1.3.6.1.4.1.7165.2.1.76 sambaTrustAuthOutgoing=1.3.6.1.4.1.7165.2.1.75
sambaTrustDirection=1.3.6.1.4.1.7165.2.1.72 sambaTrustFlags=1.3.6.1.4.1.7165.2.1.53
sambaTrustForestTrustInfo=1.3.6.1.4.1.7165.2.1.78 sambaTrustPartner=1.3.6.1.4.1.7165.2.1.73
sambaTrustPosixOffset=1.3.6.1.4.1.7165.2.1.79 sambaTrustType=1.3.6.1.4.1.7165.2.1.70
sambaUserWorkstations=1.3.6.1.4.1.7165.2.1.36 schemaUpdateAttributeAccept=2.16.840.1.113730.3.1.2167
schemaUpdateAttributeReject=2.16.840.1.113730.3.1.2168
schemaUpdateObjectclassAccept=2.16.840.1.113730.3.1.2165
schemaUpdateObjectclassReject=2.16.840.1.113730.3.1.2166 searchGuide=2.5.4.14
secretary=0.9.2342.19200300.100.1.21 seeAlso=2.5.4.34 serialNumber=2.5.4.5 ServerCertExtractFile
serverHostName=2.16.840.1.113730.3.1.76 ServerKeyExtractFile
serverProductName=2.16.840.1.113730.3.1.71 serverRoot=2.16.840.1.113730.3.1.70
serverVersionNumber=2.16.840.1.113730.3.1.72 shadowExpire=1.3.6.1.1.1.1.10
shadowFlag=1.3.6.1.1.1.1.11 shadowInactive=1.3.6.1.1.1.1.9 shadowLastChange=1.3.6.1.1.1.1.5
shadowMax=1.3.6.1.1.1.1.7 shadowMin=1.3.6.1.1.1.1.6 shadowWarning=1.3.6.1.1.1.1.8 sn,surName=2.5.4.4
sslVersionMax sslVersionMin st,stateOrProvinceName=2.5.4.8 street,streetaddress=2.5.4.9
structuralObjectClass=2.5.21.9 subschemaSubentry=2.5.18.10 subtreeACI=2.16.840.1.113730.3.1.69
sudoCommand=1.3.6.1.4.1.15953.9.1.3 sudoHost=1.3.6.1.4.1.15953.9.1.2
sudoNotAfter=1.3.6.1.4.1.15953.9.1.9 sudoNotBefore=1.3.6.1.4.1.15953.9.1.8
sudoOption=1.3.6.1.4.1.15953.9.1.5 sudoOrder=1.3.6.1.4.1.15953.9.1.10
sudoRunAs=1.3.6.1.4.1.15953.9.1.4 sudoRunAsGroup=1.3.6.1.4.1.15953.9.1.7
sudoRunAsUser=1.3.6.1.4.1.15953.9.1.6 sudoUser=1.3.6.1.4.1.15953.9.1.1 supportedAlgorithms=2.5.4.52
supportedApplicationContext=2.5.4.30 supportedControl=1.3.6.1.4.1.1466.101.120.13
supportedExtension=1.3.6.1.4.1.1466.101.120.7 supportedFeatures=1.3.6.1.4.1.4203.1.3.5
supportedLDAPVersion=1.3.6.1.4.1.1466.101.120.15 supportedSASLMechanisms=1.3.6.1.4.1.1466.101.120.14
targetDn=2.16.840.1.113730.3.1.6 telephoneNumber=2.5.4.20 teletexTerminalIdentifier=2.5.4.22
telexNumber=2.5.4.21 title=2.5.4.12 tombstoneNumSubordinates=2.16.840.1.113730.3.1.2111
trustModel=5.3.6.1.1.1.1.0 ttl,timeToLive=1.3.6.1.4.1.250.1.60 uid,userid=0.9.2342.19200300.100.1.1
uidNumber=1.3.6.1.1.1.1.0 uniqueIdentifier=0.9.2342.19200300.100.1.44 uniqueMember=2.5.4.50
userCertificate=2.5.4.36 userClass=0.9.2342.19200300.100.1.8 userPassword=2.5.4.35
userPKCS12=2.16.840.1.113730.3.1.216 userSMIMECertificate=2.16.840.1.113730.3.1.40
vacationenddate=2.16.840.1.113730.3.1.708 vacationstartdate=2.16.840.1.113730.3.1.707
vendorName=1.3.6.1.1.4 vendorVersion=1.3.6.1.1.5 vlvBase=2.16.840.1.113730.3.1.207
vlvEnabled=2.16.840.1.113730.3.1.213 vlvFilter=2.16.840.1.113730.3.1.209
vlvScope=2.16.840.1.113730.3.1.208 vlvSort=2.16.840.1.113730.3.1.210
vlvUses=2.16.840.1.113730.3.1.219 winSyncDirectoryFilter=2.16.840.1.113730.3.1.2162
winSyncFlattenTree=2.16.840.1.113730.3.1.2389 winSyncInterval=2.16.840.1.113730.3.1.1099
winSyncMoveAction=2.16.840.1.113730.3.1.2139 winSyncSubtreePair=2.16.840.1.113730.3.1.2164
winSyncWindowsFilter=2.16.840.1.113730.3.1.2163 x121Address=2.5.4.24 x500UniqueIdentifier=2.5.4.45
"""
