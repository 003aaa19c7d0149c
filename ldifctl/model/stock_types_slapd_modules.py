"""The attribute types the modules Debian's slapd 2.5.13 ships in /usr/lib/ldap bring
(overlays, backends, password schemes): ppolicy's pwd*, accesslog's req*, auditContext
and minCSN, otp's oath*, lastbind's authTimestamp, and each one's olc* configuration
types. Measured as the definitions of cn=subschema of a slapd that loads every module at
once but dyngroup, and of one that loads dyngroup alone (its one type, olcDGAttrPair, is
not there once dynlist, which takes the name dyngroup, is loaded), less SLAPD_TYPES.
stock_types.py says what they are for; tests/model/test_stock_types.py measures them."""

SLAPD_MODULE_TYPES = """
auditContext=1.3.6.1.4.1.4203.666.11.5.1.30 authTimestamp=1.3.6.1.4.1.453.16.2.188
memberOf=1.2.840.113556.1.2.102 minCSN=1.3.6.1.4.1.4203.666.11.5.1.32
oathCounter=1.3.6.1.4.1.5427.1.389.4226.4.10 oathEncKey=1.3.6.1.4.1.5427.1.389.4226.4.12
oathFailureCount=1.3.6.1.4.1.5427.1.389.4226.4.10.1
oathFailureMessage=1.3.6.1.4.1.5427.1.389.4226.4.15.2
oathFailureResultCode=1.3.6.1.4.1.5427.1.389.4226.4.13.2
oathHMACAlgorithm=1.3.6.1.4.1.5427.1.389.4226.4.6 oathHOTPCounter=1.3.6.1.4.1.5427.1.389.4226.4.10.2
oathHOTPLookAhead=1.3.6.1.4.1.5427.1.389.4226.4.10.3
oathHOTPParams=1.3.6.1.4.1.5427.1.389.4226.4.5.1 oathHOTPToken=1.3.6.1.4.1.5427.1.389.4226.4.9.1
oathLastFailure=1.3.6.1.4.1.5427.1.389.4226.4.7.1 oathLastLogin=1.3.6.1.4.1.5427.1.389.4226.4.7.2
oathMaxUsageCount=1.3.6.1.4.1.5427.1.389.4226.4.10.7 oathMessage=1.3.6.1.4.1.5427.1.389.4226.4.15
oathOTPLength=1.3.6.1.4.1.5427.1.389.4226.4.5 oathParamsEntry=1.3.6.1.4.1.5427.1.389.4226.4.4
oathResultCode=1.3.6.1.4.1.5427.1.389.4226.4.13 oathSecret=1.3.6.1.4.1.5427.1.389.4226.4.1
oathSecretLength=1.3.6.1.4.1.5427.1.389.4226.4.11 oathSecretMaxAge=1.3.6.1.4.1.5427.1.389.4226.4.8
oathSecretTime=1.3.6.1.4.1.5427.1.389.4226.4.7.3
oathSuccessMessage=1.3.6.1.4.1.5427.1.389.4226.4.15.1
oathSuccessResultCode=1.3.6.1.4.1.5427.1.389.4226.4.13.1
oathThrottleLimit=1.3.6.1.4.1.5427.1.389.4226.4.10.5 oathTimestamp=1.3.6.1.4.1.5427.1.389.4226.4.7
oathToken=1.3.6.1.4.1.5427.1.389.4226.4.9 oathTokenIdentifier=1.3.6.1.4.1.5427.1.389.4226.4.3
oathTokenPIN=1.3.6.1.4.1.5427.1.389.4226.4.14 oathTokenSerialNumber=1.3.6.1.4.1.5427.1.389.4226.4.2
oathTOTPLastTimeStep=1.3.6.1.4.1.5427.1.389.4226.4.10.6
oathTOTPParams=1.3.6.1.4.1.5427.1.389.4226.4.5.2
oathTOTPTimeStepDrift=1.3.6.1.4.1.5427.1.389.4226.4.10.9
oathTOTPTimeStepPeriod=1.3.6.1.4.1.5427.1.389.4226.4.4.1
oathTOTPTimeStepWindow=1.3.6.1.4.1.5427.1.389.4226.4.10.8
oathTOTPToken=1.3.6.1.4.1.5427.1.389.4226.4.9.2 olcAccessLogBase=1.3.6.1.4.1.4203.1.12.2.3.3.4.7
olcAccessLogDB=1.3.6.1.4.1.4203.1.12.2.3.3.4.1 olcAccessLogOld=1.3.6.1.4.1.4203.1.12.2.3.3.4.5
olcAccessLogOldAttr=1.3.6.1.4.1.4203.1.12.2.3.3.4.6 olcAccessLogOps=1.3.6.1.4.1.4203.1.12.2.3.3.4.2
olcAccessLogPurge=1.3.6.1.4.1.4203.1.12.2.3.3.4.3
olcAccessLogSuccess=1.3.6.1.4.1.4203.1.12.2.3.3.4.4
olcAsyncMetaSub=1.3.6.1.4.1.4203.1.12.2.3.2.3.116 olcAuditlogFile=1.3.6.1.4.1.4203.1.12.2.3.3.15.1
olcAutoGroupAttrSet,olcAGattrSet=1.3.6.1.4.1.4203.1.12.2.3.4.2.1
olcAutoGroupMemberOfAd,olcAGmemberOfAd=1.3.6.1.4.1.4203.1.12.2.3.4.2.2
olcChainCacheURI=1.3.6.1.4.1.4203.1.12.2.3.3.3.2 olcChainingBehavior=1.3.6.1.4.1.4203.1.12.2.3.3.3.1
olcChainMaxReferralDepth=1.3.6.1.4.1.4203.1.12.2.3.3.3.3
olcChainReturnError=1.3.6.1.4.1.4203.1.12.2.3.3.3.4 olcCollectInfo=1.3.6.1.4.1.4203.1.12.2.3.3.19.1
olcConstraintAttribute=1.3.6.1.4.1.4203.1.12.2.3.3.13.1 olcDbACLBind=1.3.6.1.4.1.4203.1.12.2.3.2.3.4
olcDbBindAllowed=1.3.6.1.4.1.4203.1.12.2.3.2.8.1 olcDbBindTimeout=1.3.6.1.4.1.4203.1.12.2.3.2.3.107
olcDbCancel=1.3.6.1.4.1.4203.1.12.2.3.2.3.20 olcDbChaseReferrals=1.3.6.1.4.1.4203.1.12.2.3.2.3.11
olcDbClientPr=1.3.6.1.4.1.4203.1.12.2.3.2.3.111
olcDbConnectionPoolMax=1.3.6.1.4.1.4203.1.12.2.3.2.3.23
olcDbConnTtl=1.3.6.1.4.1.4203.1.12.2.3.2.3.16 olcDbDefaultTarget=1.3.6.1.4.1.4203.1.12.2.3.2.3.105
olcDbDnCacheTtl=1.3.6.1.4.1.4203.1.12.2.3.2.3.106 olcDbDoSearch=1.3.6.1.4.1.4203.1.12.2.3.2.8.2
olcDbFilter=1.3.6.1.4.1.4203.1.12.2.3.2.3.112 olcDbHost=1.3.6.1.4.1.4203.1.12.2.3.2.6.1
olcDbIDAssertAuthzFrom=1.3.6.1.4.1.4203.1.12.2.3.2.3.9
olcDbIDAssertBind=1.3.6.1.4.1.4203.1.12.2.3.2.3.7
olcDbIDAssertPassThru=1.3.6.1.4.1.4203.1.12.2.3.2.3.27
olcDbIdleTimeout=1.3.6.1.4.1.4203.1.12.2.3.2.3.15 olcDbKeepalive=1.3.6.1.4.1.4203.1.12.2.3.2.3.29
olcDbMap=1.3.6.1.4.1.4203.1.12.2.3.2.3.102 olcDbMaxPendingOps=1.3.6.1.4.1.4203.1.12.2.3.2.3.113
olcDbMaxTargetConns=1.3.6.1.4.1.4203.1.12.2.3.2.3.114
olcDbMaxTimeoutOps=1.3.6.1.4.1.4203.1.12.2.3.2.3.115 olcDbName=1.3.6.1.4.1.4203.1.12.2.3.2.6.2
olcDbNetworkTimeout=1.3.6.1.4.1.4203.1.12.2.3.2.3.17 olcDbNoRefs=1.3.6.1.4.1.4203.1.12.2.3.2.3.25
olcDbNoUndefFilter=1.3.6.1.4.1.4203.1.12.2.3.2.3.26 olcDbNretries=1.3.6.1.4.1.4203.1.12.2.3.2.3.110
olcDbOnErr=1.3.6.1.4.1.4203.1.12.2.3.2.3.108 olcDbPass=1.3.6.1.4.1.4203.1.12.2.3.2.6.4
olcDbProtocolVersion=1.3.6.1.4.1.4203.1.12.2.3.2.3.18
olcDbProxyWhoAmI=1.3.6.1.4.1.4203.1.12.2.3.2.3.13
olcDbPseudoRootBindDefer=1.3.6.1.4.1.4203.1.12.2.3.2.3.109
olcDbQuarantine=1.3.6.1.4.1.4203.1.12.2.3.2.3.21 olcDbRebindAsUser=1.3.6.1.4.1.4203.1.12.2.3.2.3.10
olcDbRemoveUnknownSchema=1.3.6.1.4.1.4203.1.12.2.3.2.3.28
olcDbRewrite=1.3.6.1.4.1.4203.1.12.2.3.2.3.101
olcDbSessionTrackingRequest=1.3.6.1.4.1.4203.1.12.2.3.2.3.24
olcDbSingleConn=1.3.6.1.4.1.4203.1.12.2.3.2.3.19
olcDbSocketExtensions=1.3.6.1.4.1.4203.1.12.2.3.2.7.2
olcDbSocketPath=1.3.6.1.4.1.4203.1.12.2.3.2.7.1 olcDbStartTLS=1.3.6.1.4.1.4203.1.12.2.3.2.3.1
olcDbSubtreeExclude=1.3.6.1.4.1.4203.1.12.2.3.2.3.103
olcDbSubtreeInclude=1.3.6.1.4.1.4203.1.12.2.3.2.3.104
olcDbSuffixMassage=1.3.6.1.4.1.4203.1.12.2.3.2.3.117
olcDbTcpUserTimeout=1.3.6.1.4.1.4203.1.12.2.3.2.3.30 olcDbTFSupport=1.3.6.1.4.1.4203.1.12.2.3.2.3.12
olcDbTimeout=1.3.6.1.4.1.4203.1.12.2.3.2.3.14 olcDbURI=1.3.6.1.4.1.4203.1.12.2.3.2.0.14
olcDbUser=1.3.6.1.4.1.4203.1.12.2.3.2.6.3 olcDbUseTemporaryConn=1.3.6.1.4.1.4203.1.12.2.3.2.3.22
olcDDSdefaultTtl=1.3.6.1.4.1.4203.1.12.2.3.3.9.4 olcDDSinterval=1.3.6.1.4.1.4203.1.12.2.3.3.9.5
olcDDSmaxDynamicObjects=1.3.6.1.4.1.4203.1.12.2.3.3.9.7 olcDDSmaxTtl=1.3.6.1.4.1.4203.1.12.2.3.3.9.2
olcDDSminTtl=1.3.6.1.4.1.4203.1.12.2.3.3.9.3 olcDDSstate=1.3.6.1.4.1.4203.1.12.2.3.3.9.1
olcDDStolerance=1.3.6.1.4.1.4203.1.12.2.3.3.9.6
olcDynGroupAttrPair,olcDGAttrPair=1.3.6.1.4.1.4203.1.12.2.3.3.17.1
olcDynListAttrSet,olcDlAttrSet=1.3.6.1.4.1.4203.1.12.2.3.3.8.1
olcHomedirArchivePath=1.3.6.1.4.1.4203.1.12.2.3.4.8.5
olcHomedirDeleteStyle=1.3.6.1.4.1.4203.1.12.2.3.4.8.4
olcHomedirRegexp=1.3.6.1.4.1.4203.1.12.2.3.4.8.3
olcLastBindForwardUpdates=1.3.6.1.4.1.4203.1.12.2.3.5.2
olcLastBindPrecision=1.3.6.1.4.1.4203.1.12.2.3.4.5.1
olcMemberOfDangling=1.3.6.1.4.1.4203.1.12.2.3.3.18.1
olcMemberOfDanglingError=1.3.6.1.4.1.4203.1.12.2.3.3.18.7
olcMemberOfDN=1.3.6.1.4.1.4203.1.12.2.3.3.18.0 olcMemberOfGroupOC=1.3.6.1.4.1.4203.1.12.2.3.3.18.3
olcMemberOfMemberAD=1.3.6.1.4.1.4203.1.12.2.3.3.18.4
olcMemberOfMemberOfAD=1.3.6.1.4.1.4203.1.12.2.3.3.18.5
olcMemberOfRefInt=1.3.6.1.4.1.4203.1.12.2.3.3.18.2 olcMetaSub=1.3.6.1.4.1.4203.1.12.2.3.2.3.100
olcMinimumUidNumber=1.3.6.1.4.1.4203.1.12.2.3.4.8.2 olcOvSocketDNpat=1.3.6.1.4.1.4203.1.12.2.3.2.7.5
olcOvSocketOps=1.3.6.1.4.1.4203.1.12.2.3.2.7.3 olcOvSocketResps=1.3.6.1.4.1.4203.1.12.2.3.2.7.4
olcPasswdFile=1.3.6.1.4.1.4203.1.12.2.3.2.9.1
olcPcache,olcProxyCache=1.3.6.1.4.1.4203.1.12.2.3.3.2.1
olcPcacheAttrset,olcProxyAttrset=1.3.6.1.4.1.4203.1.12.2.3.3.2.2
olcPcacheBind=1.3.6.1.4.1.4203.1.12.2.3.3.2.9
olcPcacheMaxQueries,olcProxyCacheQueries=1.3.6.1.4.1.4203.1.12.2.3.3.2.5
olcPcacheOffline=1.3.6.1.4.1.4203.1.12.2.3.3.2.8
olcPcachePersist,olcProxySaveQueries=1.3.6.1.4.1.4203.1.12.2.3.3.2.6
olcPcachePosition=1.3.6.1.4.1.4203.1.12.2.3.3.2.4
olcPcacheTemplate,olcProxyCacheTemplate=1.3.6.1.4.1.4203.1.12.2.3.3.2.3
olcPcacheValidate,olcProxyCheckCacheability=1.3.6.1.4.1.4203.1.12.2.3.3.2.7
olcPerlFilterSearchResults=1.3.6.1.4.1.4203.1.12.2.3.2.11.3
olcPerlModule=1.3.6.1.4.1.4203.1.12.2.3.2.11.1 olcPerlModuleConfig=1.3.6.1.4.1.4203.1.12.2.3.2.11.4
olcPerlModulePath=1.3.6.1.4.1.4203.1.12.2.3.2.11.2
olcPPolicyDefault=1.3.6.1.4.1.4203.1.12.2.3.3.12.1
olcPPolicyDisableWrite=1.3.6.1.4.1.4203.1.12.2.3.3.12.5
olcPPolicyForwardUpdates=1.3.6.1.4.1.4203.1.12.2.3.3.12.4
olcPPolicyHashCleartext=1.3.6.1.4.1.4203.1.12.2.3.3.12.2
olcPPolicySendNetscapeControls=1.3.6.1.4.1.4203.1.12.2.3.3.12.6
olcPPolicyUseLockout=1.3.6.1.4.1.4203.1.12.2.3.3.12.3
olcRefintAttribute=1.3.6.1.4.1.4203.1.12.2.3.3.11.1
olcRefintModifiersName=1.3.6.1.4.1.4203.1.12.2.3.3.11.3
olcRefintNothing=1.3.6.1.4.1.4203.1.12.2.3.3.11.2 olcRelay=1.3.6.1.4.1.4203.1.12.2.3.2.5.1
olcRemoteAuthDefaultDomain=1.3.6.1.4.1.4203.1.12.2.3.3.24.4
olcRemoteAuthDefaultRealm=1.3.6.1.4.1.4203.1.12.2.3.3.24.5
olcRemoteAuthDNAttribute=1.3.6.1.4.1.4203.1.12.2.3.3.24.2
olcRemoteAuthDomainAttribute=1.3.6.1.4.1.4203.1.12.2.3.3.24.3
olcRemoteAuthMapping=1.3.6.1.4.1.4203.1.12.2.3.3.24.1
olcRemoteAuthRetryCount=1.3.6.1.4.1.4203.1.12.2.3.3.24.7
olcRemoteAuthStore=1.3.6.1.4.1.4203.1.12.2.3.3.24.6
olcRemoteAuthTLS=1.3.6.1.4.1.4203.1.12.2.3.3.24.8
olcRemoteAuthTLSPeerkeyHash=1.3.6.1.4.1.4203.1.12.2.3.3.24.9
olcRetcodeInDir=1.3.6.1.4.1.4203.1.12.2.3.3.20.3 olcRetcodeItem=1.3.6.1.4.1.4203.1.12.2.3.3.20.2
olcRetcodeParent=1.3.6.1.4.1.4203.1.12.2.3.3.20.1 olcRetcodeSleep=1.3.6.1.4.1.4203.1.12.2.3.3.20.4
olcRwmDropUnrequested=1.3.6.1.4.1.4203.1.12.2.3.3.16.5 olcRwmMap=1.3.6.1.4.1.4203.1.12.2.3.3.16.3
olcRwmNormalizeMapped=1.3.6.1.4.1.4203.1.12.2.3.3.16.4
olcRwmRewrite=1.3.6.1.4.1.4203.1.12.2.3.3.16.1 olcRwmTFSupport=1.3.6.1.4.1.4203.1.12.2.3.3.16.2
olcSkeletonPath=1.3.6.1.4.1.4203.1.12.2.3.4.8.1 olcSpCheckpoint=1.3.6.1.4.1.4203.1.12.2.3.3.1.1
olcSpNoPresent=1.3.6.1.4.1.4203.1.12.2.3.3.1.3 olcSpReloadHint=1.3.6.1.4.1.4203.1.12.2.3.3.1.4
olcSpSessionlog=1.3.6.1.4.1.4203.1.12.2.3.3.1.2
olcSpSessionlogSource=1.3.6.1.4.1.4203.1.12.2.3.3.1.5
olcSqlAliasingKeyword=1.3.6.1.4.1.4203.1.12.2.3.2.6.43
olcSqlAliasingQuote=1.3.6.1.4.1.4203.1.12.2.3.2.6.44
olcSqlAllowOrphans=1.3.6.1.4.1.4203.1.12.2.3.2.6.36 olcSqlAtQuery=1.3.6.1.4.1.4203.1.12.2.3.2.6.25
olcSqlAutocommit=1.3.6.1.4.1.4203.1.12.2.3.2.6.45 olcSqlBaseObject=1.3.6.1.4.1.4203.1.12.2.3.2.6.37
olcSqlCheckSchema=1.3.6.1.4.1.4203.1.12.2.3.2.6.42
olcSqlChildrenCond=1.3.6.1.4.1.4203.1.12.2.3.2.6.22
olcSqlConcatPattern=1.3.6.1.4.1.4203.1.12.2.3.2.6.20
olcSqlCreateNeedsSelect=1.3.6.1.4.1.4203.1.12.2.3.2.6.27
olcSqlDelEntryStmt=1.3.6.1.4.1.4203.1.12.2.3.2.6.31
olcSqlDelObjclassesStmt=1.3.6.1.4.1.4203.1.12.2.3.2.6.33
olcSqlDnMatchCond=1.3.6.1.4.1.4203.1.12.2.3.2.6.23
olcSqlFailIfNoMapping=1.3.6.1.4.1.4203.1.12.2.3.2.6.35
olcSqlFetchAllAttrs=1.3.6.1.4.1.4203.1.12.2.3.2.6.40
olcSqlFetchAttrs=1.3.6.1.4.1.4203.1.12.2.3.2.6.41
olcSqlHasLDAPinfoDnRu=1.3.6.1.4.1.4203.1.12.2.3.2.6.34
olcSqlIdQuery=1.3.6.1.4.1.4203.1.12.2.3.2.6.46 olcSqlInsEntryStmt=1.3.6.1.4.1.4203.1.12.2.3.2.6.26
olcSqlLayer=1.3.6.1.4.1.4203.1.12.2.3.2.6.38 olcSqlOcQuery=1.3.6.1.4.1.4203.1.12.2.3.2.6.24
olcSqlRenEntryStmt=1.3.6.1.4.1.4203.1.12.2.3.2.6.32
olcSqlStrcastFunc=1.3.6.1.4.1.4203.1.12.2.3.2.6.30
olcSqlSubtreeCond=1.3.6.1.4.1.4203.1.12.2.3.2.6.21 olcSqlUpperFunc=1.3.6.1.4.1.4203.1.12.2.3.2.6.28
olcSqlUpperNeedsCast=1.3.6.1.4.1.4203.1.12.2.3.2.6.29
olcSqlUseSubtreeShortcut=1.3.6.1.4.1.4203.1.12.2.3.2.6.39
olcSssVlvMax=1.3.6.1.4.1.4203.1.12.2.3.3.21.1 olcSssVlvMaxKeys=1.3.6.1.4.1.4203.1.12.2.3.3.21.2
olcSssVlvMaxPerConn=1.3.6.1.4.1.4203.1.12.2.3.3.21.3
olcTranslucentBindLocal=1.3.6.1.4.1.4203.1.12.2.3.3.14.5
olcTranslucentLocal=1.3.6.1.4.1.4203.1.12.2.3.3.14.3
olcTranslucentNoGlue=1.3.6.1.4.1.4203.1.12.2.3.3.14.2
olcTranslucentPwModLocal=1.3.6.1.4.1.4203.1.12.2.3.3.14.6
olcTranslucentRemote=1.3.6.1.4.1.4203.1.12.2.3.3.14.4
olcTranslucentStrict=1.3.6.1.4.1.4203.1.12.2.3.3.14.1
olcUniqueAttribute=1.3.6.1.4.1.4203.1.12.2.3.3.10.3 olcUniqueBase=1.3.6.1.4.1.4203.1.12.2.3.3.10.1
olcUniqueIgnore=1.3.6.1.4.1.4203.1.12.2.3.3.10.2 olcUniqueStrict=1.3.6.1.4.1.4203.1.12.2.3.3.10.4
olcUniqueURI=1.3.6.1.4.1.4203.1.12.2.3.3.10.5 olcValSortAttr=1.3.6.1.4.1.4203.1.12.2.3.3.5.1
pwdAccountLockedTime=1.3.6.1.4.1.42.2.27.8.1.17 pwdAccountTmpLockoutEnd=1.3.6.1.4.1.42.2.27.8.1.33
pwdAllowUserChange=1.3.6.1.4.1.42.2.27.8.1.14 pwdAttribute=1.3.6.1.4.1.42.2.27.8.1.1
pwdChangedTime=1.3.6.1.4.1.42.2.27.8.1.16 pwdCheckModule=1.3.6.1.4.1.4754.1.99.1
pwdCheckModuleArg=1.3.6.1.4.1.4754.1.99.2 pwdCheckQuality=1.3.6.1.4.1.42.2.27.8.1.5
pwdEndTime=1.3.6.1.4.1.42.2.27.8.1.28 pwdExpireWarning=1.3.6.1.4.1.42.2.27.8.1.7
pwdFailureCountInterval=1.3.6.1.4.1.42.2.27.8.1.12 pwdFailureTime=1.3.6.1.4.1.42.2.27.8.1.19
pwdGraceAuthNLimit=1.3.6.1.4.1.42.2.27.8.1.8 pwdGraceExpiry=1.3.6.1.4.1.42.2.27.8.1.30
pwdGraceUseTime=1.3.6.1.4.1.42.2.27.8.1.21 pwdHistory=1.3.6.1.4.1.42.2.27.8.1.20
pwdInHistory=1.3.6.1.4.1.42.2.27.8.1.4 pwdLockout=1.3.6.1.4.1.42.2.27.8.1.9
pwdLockoutDuration=1.3.6.1.4.1.42.2.27.8.1.10 pwdMaxAge=1.3.6.1.4.1.42.2.27.8.1.3
pwdMaxDelay=1.3.6.1.4.1.42.2.27.8.1.25 pwdMaxFailure=1.3.6.1.4.1.42.2.27.8.1.11
pwdMaxIdle=1.3.6.1.4.1.42.2.27.8.1.26 pwdMaxLength=1.3.6.1.4.1.42.2.27.8.1.31
pwdMaxRecordedFailure=1.3.6.1.4.1.42.2.27.8.1.32 pwdMinAge=1.3.6.1.4.1.42.2.27.8.1.2
pwdMinDelay=1.3.6.1.4.1.42.2.27.8.1.24 pwdMinLength=1.3.6.1.4.1.42.2.27.8.1.6
pwdMustChange=1.3.6.1.4.1.42.2.27.8.1.13 pwdPolicySubentry=1.3.6.1.4.1.42.2.27.8.1.23
pwdReset=1.3.6.1.4.1.42.2.27.8.1.22 pwdSafeModify=1.3.6.1.4.1.42.2.27.8.1.15
pwdStartTime=1.3.6.1.4.1.42.2.27.8.1.27 reqAssertion=1.3.6.1.4.1.4203.666.11.5.1.15
reqAttr=1.3.6.1.4.1.4203.666.11.5.1.25 reqAttrsOnly=1.3.6.1.4.1.4203.666.11.5.1.23
reqAuthzID=1.3.6.1.4.1.4203.666.11.5.1.6 reqControls=1.3.6.1.4.1.4203.666.11.5.1.10
reqData=1.3.6.1.4.1.4203.666.11.5.1.29 reqDeleteOldRDN=1.3.6.1.4.1.4203.666.11.5.1.19
reqDerefAliases=1.3.6.1.4.1.4203.666.11.5.1.22 reqDN=1.3.6.1.4.1.4203.666.11.5.1.1
reqEnd=1.3.6.1.4.1.4203.666.11.5.1.3 reqEntries=1.3.6.1.4.1.4203.666.11.5.1.28
reqEntryUUID=1.3.6.1.4.1.4203.666.11.5.1.31 reqFilter=1.3.6.1.4.1.4203.666.11.5.1.24
reqId=1.3.6.1.4.1.4203.666.11.5.1.12 reqMessage=1.3.6.1.4.1.4203.666.11.5.1.8
reqMethod=1.3.6.1.4.1.4203.666.11.5.1.14 reqMod=1.3.6.1.4.1.4203.666.11.5.1.16
reqNewDN=1.3.6.1.4.1.4203.666.11.5.1.33 reqNewRDN=1.3.6.1.4.1.4203.666.11.5.1.18
reqNewSuperior=1.3.6.1.4.1.4203.666.11.5.1.20 reqOld=1.3.6.1.4.1.4203.666.11.5.1.17
reqReferral=1.3.6.1.4.1.4203.666.11.5.1.9 reqRespControls=1.3.6.1.4.1.4203.666.11.5.1.11
reqResult=1.3.6.1.4.1.4203.666.11.5.1.7 reqScope=1.3.6.1.4.1.4203.666.11.5.1.21
reqSession=1.3.6.1.4.1.4203.666.11.5.1.5 reqSizeLimit=1.3.6.1.4.1.4203.666.11.5.1.26
reqStart=1.3.6.1.4.1.4203.666.11.5.1.2 reqTimeLimit=1.3.6.1.4.1.4203.666.11.5.1.27
reqType=1.3.6.1.4.1.4203.666.11.5.1.4 reqVersion=1.3.6.1.4.1.4203.666.11.5.1.13
"""
