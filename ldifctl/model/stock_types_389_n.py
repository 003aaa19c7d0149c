"""The attribute types 389-DS 2.3.1 knows out of the box named N, but nsslapd-*: a part of
the definitions of its subschema (cn=schema) with its default schema, as the tests run
it. stock_types.py says what they are for; tests/model/test_stock_types.py holds the
four parts (stock_types_389_a_m, _n, _nsslapd, _o_z) together to the server."""

DS389_TYPES_N = """
name=2.5.4.41 nameForms=2.5.21.7 namingContexts=1.3.6.1.4.1.1466.101.120.5
netscapeReversiblePassword=2.16.840.1.113730.3.1.812 newRdn=2.16.840.1.113730.3.1.9
newSuperior=2.16.840.1.113730.3.1.11 nisMapEntry=1.3.6.1.1.1.1.27 nisMapName=1.3.6.1.1.1.1.26
nisNetgroupTriple=1.3.6.1.1.1.1.14 nnslapd-threadnumber=2.16.840.1.113730.3.1.2244 nsAccessLog
nsAccountLock=2.16.840.1.113730.3.1.610 nsAdminAccessAddresses nsAdminAccessHosts nsAdminAccountInfo
nsAdminCacheLifetime nsAdminCgiWaitPid nsAdminDomainName nsAdminEnableDSGW nsAdminEnableEnduser
nsAdminEndUserHTMLIndex nsAdminGroupName nsAdminOneACLDir nsAdminSIEDN nsAdminUsers
nsAIMid,nscpaimscreenname=1.3.6.1.4.1.13769.2.4 nsBackendSuffix=2.16.840.1.113730.3.1.803 nsBaseDN
nsBindDN nsBindPassword nsBuildNumber nsBuildSecurity nsCertConfig nsCertfile
nsCertSubjectDN=2.16.840.1.113730.3.1.2337 nsClassname nsConfigRoot
nscpEntryDN=2.16.840.1.113730.3.1.545 nsDefaultAcceptLanguage nsDefaultObjectClass nsDeleteclassname
nsDirectoryFailoverList nsDirectoryInfoRef nsDirectoryURL nsDisplayName
nsds50ruv=2.16.840.1.113730.3.1.587 nsds5BeginReplicaRefresh=2.16.840.1.113730.3.1.609
nsds5debugreplicatimeout=2.16.840.1.113730.3.1.9999999 nsDS5Flags=2.16.840.1.113730.3.1.607
nsds5ReplConflict=2.16.840.1.113730.3.1.973 nsds5ReplicaAbortCleanRUV=2.16.840.1.113730.3.1.2137
nsDS5ReplicaAutoReferral=2.16.840.1.113730.3.1.592 nsds5ReplicaBackoffMax=2.16.840.1.113730.3.1.2155
nsds5ReplicaBackoffMin=2.16.840.1.113730.3.1.2154 nsDS5ReplicaBindDN=2.16.840.1.113730.3.1.581
nsDS5ReplicaBindDNGroup=2.16.840.1.113730.3.1.2338
nsDS5ReplicaBindDnGroupCheckInterval=2.16.840.1.113730.3.1.2336
nsDS5ReplicaBindMethod=2.16.840.1.113730.3.1.583
nsDS5ReplicaBootstrapBindDN=2.16.840.1.113730.3.1.2371
nsDS5ReplicaBootstrapBindMethod=2.16.840.1.113730.3.1.2373
nsDS5ReplicaBootstrapCredentials=2.16.840.1.113730.3.1.2372
nsDS5ReplicaBootstrapTransportInfo=2.16.840.1.113730.3.1.2374
nsds5replicaBusyWaitTime=2.16.840.1.113730.3.1.1097
nsds5ReplicaChangeCount=2.16.840.1.113730.3.1.684
nsds5replicaChangesSentSinceStartup=2.16.840.1.113730.3.1.687
nsds5ReplicaCleanRUV=2.16.840.1.113730.3.1.2135
nsds5ReplicaCleanRUVNotified=2.16.840.1.113730.3.1.2136
nsDS5ReplicaCredentials=2.16.840.1.113730.3.1.582 nsds5ReplicaEnabled=2.16.840.1.113730.3.1.2132
nsds5ReplicaFlowControlPause=2.16.840.1.113730.3.1.2311
nsds5ReplicaFlowControlWindow=2.16.840.1.113730.3.1.2310 nsDS5ReplicaHost=2.16.840.1.113730.3.1.578
nsDS5ReplicaId=2.16.840.1.113730.3.1.588 nsds5ReplicaIgnoreMissingChange=2.16.840.1.113730.3.1.2335
nsds5ReplicaKeepAliveUpdateInterval=2.16.840.1.113730.3.1.2390
nsds5replicaLastInitEnd=2.16.840.1.113730.3.1.808
nsds5replicaLastInitStart=2.16.840.1.113730.3.1.807
nsds5replicaLastInitStatus=2.16.840.1.113730.3.1.809
nsds5replicaLastInitStatusJSON=2.16.840.1.113730.3.1.2364
nsds5replicaLastUpdateEnd=2.16.840.1.113730.3.1.686
nsds5replicaLastUpdateStart=2.16.840.1.113730.3.1.685
nsds5replicaLastUpdateStatus=2.16.840.1.113730.3.1.688
nsds5replicaLastUpdateStatusJSON=2.16.840.1.113730.3.1.2365
nsds5ReplicaLegacyConsumer=2.16.840.1.113730.3.1.802 nsDS5ReplicaName=2.16.840.1.113730.3.1.590
nsDS5ReplicaPort=2.16.840.1.113730.3.1.579
nsds5ReplicaPreciseTombstonePurging=2.16.840.1.113730.3.1.2309
nsds5ReplicaProtocolTimeout=2.16.840.1.113730.3.1.2152
nsds5ReplicaPurgeDelay=2.16.840.1.113730.3.1.682 nsDS5ReplicaReferral=2.16.840.1.113730.3.1.591
nsds5ReplicaReleaseTimeout=2.16.840.1.113730.3.1.2333 nsDS5ReplicaRoot=2.16.840.1.113730.3.1.584
nsds5replicaSessionPauseTime=2.16.840.1.113730.3.1.1098
nsds5ReplicaStripAttrs=2.16.840.1.113730.3.1.2134
nsDS5ReplicatedAttributeList=2.16.840.1.113730.3.1.585
nsDS5ReplicatedAttributeListTotal=2.16.840.1.113730.3.1.594
nsds5replicaTimeout=2.16.840.1.113730.3.1.805
nsds5ReplicaTombstonePurgeInterval=2.16.840.1.113730.3.1.683
nsDS5ReplicaTransportInfo=2.16.840.1.113730.3.1.580 nsDS5ReplicaType=2.16.840.1.113730.3.1.589
nsds5replicaUpdateInProgress=2.16.840.1.113730.3.1.689
nsDS5ReplicaUpdateSchedule=2.16.840.1.113730.3.1.586
nsDS5ReplicaWaitForAsyncResults=2.16.840.1.113730.3.1.2315 nsDS5Task=2.16.840.1.113730.3.1.608
nsds7DirectoryReplicaSubtree=2.16.840.1.113730.3.1.1001
nsds7DirsyncCookie=2.16.840.1.113730.3.1.1005 nsds7NewWinGroupSyncEnabled=2.16.840.1.113730.3.1.1003
nsds7NewWinUserSyncEnabled=2.16.840.1.113730.3.1.1002 nsds7WindowsDomain=2.16.840.1.113730.3.1.1004
nsds7WindowsReplicaSubtree=2.16.840.1.113730.3.1.1000
nsEncryptionAlgorithm=2.16.840.1.113730.3.1.2063 nsErrorLog nsExecRef nsExpirationDate
nsGroupRDNComponent nsHardwarePlatform nsHelpRef nsHostLocation
nsIdleTimeout=2.16.840.1.113730.3.1.573 nsIDListScanLimit=2.16.840.1.113730.3.1.2106
nsIndexIDListScanLimit=2.16.840.1.113730.3.1.2161 nsIndexType=2.16.840.1.113730.3.1.327
nsInstalledLocation nsJarfilename nsKeyfile nsLdapSchemaVersion
nsLicensedFor=2.16.840.1.113730.3.1.36 nsLicenseEndTime=2.16.840.1.113730.3.1.38
nsLicenseStartTime=2.16.840.1.113730.3.1.37 nsLogSuppress
nsLookThroughLimit=2.16.840.1.113730.3.1.570 nsMatchingRule=2.16.840.1.113730.3.1.328
nsmsgDisallowAccess nsmsgNumMsgQuota nsNickName nsNYR nsOsVersion
nsPagedIDListScanLimit=2.16.840.1.113730.3.1.2109 nsPagedLookThroughLimit=2.16.840.1.113730.3.1.2108
nsPagedSizeLimit=2.16.840.1.113730.3.1.2107 nsParentUniqueId=2.16.840.1.113730.3.1.544 nsPidLog
nsPreference nsProductName nsProductVersion nsRevisionNumber nsRole=2.16.840.1.113730.3.1.574
nsRoleDN=2.16.840.1.113730.3.1.575 nsRoleFilter=2.16.840.1.113730.3.1.576
nsRoleScopeDN=2.16.840.1.113730.3.1.1101 nsruvReplicaLastModified=2.16.840.1.113730.3.1.2027
nsSaslMapBaseDNTemplate=2.16.840.1.113730.3.1.2065
nsSaslMapFilterTemplate=2.16.840.1.113730.3.1.2066 nsSaslMapPriority=2.16.840.1.113730.3.1.2142
nsSaslMapRegexString=2.16.840.1.113730.3.1.2064 nsSchemaCSN=2.16.840.1.113730.3.1.804
nsSecureServerPort nsSerialNumber nsServerAddress nsServerCreationClassname nsServerID
nsServerMigrationClassname nsServerPort nsServerSecurity nsSizeLimit=2.16.840.1.113730.3.1.571
nsSNMPContact=2.16.840.1.113730.3.1.235 nsSNMPDescription=2.16.840.1.113730.3.1.236
nsSNMPEnabled=2.16.840.1.113730.3.1.232 nsSNMPLocation=2.16.840.1.113730.3.1.234
nsSNMPMasterHost=2.16.840.1.113730.3.1.237 nsSNMPMasterPort=2.16.840.1.113730.3.1.238
nsSNMPName=2.16.840.1.113730.3.1.593 nsSNMPOrganization=2.16.840.1.113730.3.1.233
nsSshPublicKey=2.16.840.1.113730.3.1.2342 nsSSL2 nsSSL2Ciphers nsSSL3 nsSSL3Ciphers
nsSSL3SessionTimeout nsSSLActivation nsSSLClientAuth nsSSLPersonalitySSL nsSSLSessionTimeout
nsSSLSupportedCiphers nsSSLToken nsState=2.16.840.1.113730.3.1.543 nsSuiteSpotUser
nsSymmetricKey=2.16.840.1.113730.3.1.2084 nsSynchUniqueAttribute=2.16.840.1.113730.3.1.407
nsSynchUserIDFormat=2.16.840.1.113730.3.1.406 nsSystemIndex=2.16.840.1.113730.3.1.242
nsTaskCreated=2.16.840.1.113730.3.1.2359 nsTaskCurrentItem=2.16.840.1.113730.3.1.2357
nsTaskExitCode=2.16.840.1.113730.3.1.2356 nsTaskLabel nsTaskLog=2.16.840.1.113730.3.1.2354
nsTaskStatus=2.16.840.1.113730.3.1.2355 nsTaskTotalItems=2.16.840.1.113730.3.1.2358
nsTaskWarning=2.16.840.1.113730.3.1.2375 nsTimeLimit=2.16.840.1.113730.3.1.572 nsTLS1 nsTLS10
nsTLS11 nsTLS12 nsTLSAllowClientRenegotiation nstombstonecsn=2.16.840.1.113730.3.1.2308
nsUniqueAttribute nsUniqueId=2.16.840.1.113730.3.1.542 nsUserIDFormat nsUserRDNComponent
nsValueBin=2.16.840.1.113730.3.1.247 nsValueCES=2.16.840.1.113730.3.1.244
nsValueCIS=2.16.840.1.113730.3.1.243 nsValueDefault=2.16.840.1.113730.3.1.250
nsValueDescription=2.16.840.1.113730.3.1.252 nsValueDN=2.16.840.1.113730.3.1.248
nsValueFlags=2.16.840.1.113730.3.1.251 nsValueHelpURL=2.16.840.1.113730.3.1.254
nsValueInt=2.16.840.1.113730.3.1.246 nsValueSyntax=2.16.840.1.113730.3.1.253
nsValueTel=2.16.840.1.113730.3.1.245 nsValueType=2.16.840.1.113730.3.1.249 nsVendor
nsViewConfiguration nsViewFilter=2.16.840.1.113730.3.1.3023 nsWellKnownJarfiles
nswmExtendedUserPrefs=2.16.840.1.113730.3.1.520 ntGroupAttributes=2.16.840.1.113730.3.1.536
ntGroupCreateNewGroup=2.16.840.1.113730.3.1.45 ntGroupDeleteGroup=2.16.840.1.113730.3.1.46
ntGroupDomainId=2.16.840.1.113730.3.1.44 ntGroupId=2.16.840.1.113730.3.1.110
ntGroupType=2.16.840.1.113730.3.1.2112 ntUniqueId=2.16.840.1.113730.3.1.111
ntUserAcctExpires=2.16.840.1.113730.3.1.528 ntUserAuthFlags=2.16.840.1.113730.3.1.60
ntUserBadPwCount=2.16.840.1.113730.3.1.531 ntUserCodePage=2.16.840.1.113730.3.1.533
ntUserComment=2.16.840.1.113730.3.1.522 ntUserCountryCode=2.16.840.1.113730.3.1.532
ntUserCreateNewAccount=2.16.840.1.113730.3.1.42 ntUserDeleteAccount=2.16.840.1.113730.3.1.43
ntUserDomainId=2.16.840.1.113730.3.1.41 ntUserFlags=2.16.840.1.113730.3.1.523
ntUserHomeDir=2.16.840.1.113730.3.1.521 ntUserHomeDirDrive=2.16.840.1.113730.3.1.535
ntUserLastLogoff=2.16.840.1.113730.3.1.527 ntUserLastLogon=2.16.840.1.113730.3.1.526
ntUserLogonHours=2.16.840.1.113730.3.1.530 ntUserLogonServer=2.16.840.1.113730.3.1.65
ntUserMaxStorage=2.16.840.1.113730.3.1.529 ntUserNtPassword=2.16.840.1.113730.3.1.2334
ntUserNumLogons=2.16.840.1.113730.3.1.64 ntUserParms=2.16.840.1.113730.3.1.62
ntUserPasswordExpired=2.16.840.1.113730.3.1.68 ntUserPrimaryGroupId=2.16.840.1.113730.3.1.534
ntUserPriv=2.16.840.1.113730.3.1.59 ntUserProfile=2.16.840.1.113730.3.1.67
ntUserScriptPath=2.16.840.1.113730.3.1.524 ntUserUniqueId=2.16.840.1.113730.3.1.66
ntUserUnitsPerWeek=2.16.840.1.113730.3.1.63 ntUserUsrComment=2.16.840.1.113730.3.1.61
ntUserWorkstations=2.16.840.1.113730.3.1.525 numSubordinates=1.3.1.1.4.1.453.16.2.103
"""
