"""The attribute types of the schema files 389-DS 2.3.1 ships in /usr/share/dirsrv/data
and does not load by default, which a site may copy into its schema folder: those of
10rfc2307bis, 60inetmail, 60kerberos, 60krb5kdc, 60nis, 60qmail, 60radius, 60samba and
dsee.schema (slapd's format) that no other list holds (60changelog, 60rfc4876,
60sendmail and 10rfc2307compat hold none). stock_types.py says what they are for;
tests/model/test_stock_types.py holds the list to the files."""

DS389_OPTIONAL_TYPES = """
accountStatus=1.3.6.1.4.1.7914.1.2.1.12 acctFlags=1.3.6.1.4.1.7165.2.1.4
confirmtext=1.3.6.1.4.1.7914.1.3.1.6 deliveryMode=1.3.6.1.4.1.7914.1.2.1.10
deliveryProgramPath=1.3.6.1.4.1.7914.1.2.1.8 dialupAccess=1.3.6.1.4.1.3317.4.3.1.57
dnmember=1.3.6.1.4.1.7914.1.3.1.1 dnmoderator=1.3.6.1.4.1.7914.1.3.1.7
dnsender=1.3.6.1.4.1.7914.1.3.1.10 domain=1.3.6.1.4.1.7165.2.1.18 entryId=2.16.840.1.113730.3.1.9999
filtermember=1.3.6.1.4.1.7914.1.3.1.3 filtersender=1.3.6.1.4.1.7914.1.3.1.12
homeDrive=1.3.6.1.4.1.7165.2.1.10 kickoffTime=1.3.6.1.4.1.7165.2.1.7
krb5EncryptionType=1.3.6.1.4.1.5322.10.1.6 krb5KDCFlags=1.3.6.1.4.1.5322.10.1.5
krb5Key=1.3.6.1.4.1.5322.10.1.10 krb5KeyVersionNumber=1.3.6.1.4.1.5322.10.1.2
krb5MaxLife=1.3.6.1.4.1.5322.10.1.3 krb5MaxRenew=1.3.6.1.4.1.5322.10.1.4
krb5PasswordEnd=1.3.6.1.4.1.5322.10.1.9 krb5PrincipalName=1.3.6.1.4.1.5322.10.1.1
krb5PrincipalRealm=1.3.6.1.4.1.5322.10.1.11 krb5RealmName=1.3.6.1.4.1.5322.10.1.12
krb5ValidEnd=1.3.6.1.4.1.5322.10.1.8 krb5ValidStart=1.3.6.1.4.1.5322.10.1.7
krbAdmServers=2.16.840.1.113719.1.301.4.29.1 krbDefaultEncSaltTypes=2.16.840.1.113719.1.301.4.42.1
krbExtraData=2.16.840.1.113719.1.301.4.51.1 krbHostServer=2.16.840.1.113719.1.301.4.24.1
krbKdcServers=2.16.840.1.113719.1.301.4.17.1 krbLastFailedAuth=2.16.840.1.113719.1.301.4.49.1
krbLastPwdChange=2.16.840.1.113719.1.301.4.45.1 krbLastSuccessfulAuth=2.16.840.1.113719.1.301.4.48.1
krbLdapServers=2.16.840.1.113719.1.301.4.15.1 krbLoginFailedCount=2.16.840.1.113719.1.301.4.50.1
krbMaxPwdLife=2.16.840.1.113719.1.301.4.30.1 krbMaxRenewableAge=2.16.840.1.113719.1.301.4.10.1
krbMaxTicketLife=2.16.840.1.113719.1.301.4.9.1 krbMinPwdLife=2.16.840.1.113719.1.301.4.31.1
krbMKey=2.16.840.1.113719.1.301.4.46.1 krbObjectReferences=2.16.840.1.113719.1.301.4.52.1
krbPasswordExpiration=2.16.840.1.113719.1.301.4.37.1
krbPrincContainerRef=2.16.840.1.113719.1.301.4.53.1
krbPrincipalAliases=2.16.840.1.113719.1.301.4.47.1
krbPrincipalExpiration=2.16.840.1.113719.1.301.4.6.1 krbPrincipalKey=2.16.840.1.113719.1.301.4.39.1
krbPrincipalName=2.16.840.1.113719.1.301.4.1.1 krbPrincipalReferences=2.16.840.1.113719.1.301.4.26.1
krbPrincipalType=2.16.840.1.113719.1.301.4.3.1 krbPrincNamingAttr=2.16.840.1.113719.1.301.4.28.1
krbPwdHistory=2.16.840.1.113719.1.301.4.44.1 krbPwdHistoryLength=2.16.840.1.113719.1.301.4.34.1
krbPwdMinDiffChars=2.16.840.1.113719.1.301.4.32.1 krbPwdMinLength=2.16.840.1.113719.1.301.4.33.1
krbPwdPolicyReference=2.16.840.1.113719.1.301.4.36.1 krbPwdServers=2.16.840.1.113719.1.301.4.18.1
krbRealmReferences=2.16.840.1.113719.1.301.4.14.1 krbSearchScope=2.16.840.1.113719.1.301.4.25.1
krbSubTrees=2.16.840.1.113719.1.301.4.41.1 krbSupportedEncSaltTypes=2.16.840.1.113719.1.301.4.43.1
krbTicketFlags=2.16.840.1.113719.1.301.4.8.1 krbTicketPolicyReference=2.16.840.1.113719.1.301.4.40.1
krbUPEnabled=2.16.840.1.113719.1.301.4.5.1 lmPassword=1.3.6.1.4.1.7165.2.1.1
logoffTime=1.3.6.1.4.1.7165.2.1.6 logonTime=1.3.6.1.4.1.7165.2.1.5
mailaccess=1.3.6.1.4.1.15347.2.111 mailbox=1.3.6.1.4.1.10018.1.1.1 maildest=1.3.6.1.4.1.15347.2.110
maildrop=1.3.6.1.4.1.15347.2.100 mailQuotaCount=1.3.6.1.4.1.7914.1.2.1.16
mailQuotaSize=1.3.6.1.4.1.7914.1.2.1.15 mailReplyText=1.3.6.1.4.1.7914.1.2.1.11
mailSizeMax=1.3.6.1.4.1.7914.1.2.1.17 membersonly=1.3.6.1.4.1.7914.1.3.1.5
moderatortext=1.3.6.1.4.1.7914.1.3.1.9 nisDomain=1.3.6.1.1.1.1.30 nisDomain=1.3.6.1.4.1.1.1.1.12
nisNetIdGroup=1.3.6.1.4.1.42.2.27.1.1.13 nisNetIdHost=1.3.6.1.4.1.42.2.27.1.1.14
nisNetIdUser=1.3.6.1.4.1.42.2.27.1.1.12 nisPublicKey=1.3.6.1.1.1.1.28 nisPublickey=1.3.6.1.1.1.1.28
nisSecretKey=1.3.6.1.1.1.1.29 nisSecretkey=1.3.6.1.1.1.1.29 ntPassword=1.3.6.1.4.1.7165.2.1.2
parentId=2.16.840.1.113730.3.1.9998 primaryGroupID=1.3.6.1.4.1.7165.2.1.15
profilePath=1.3.6.1.4.1.7165.2.1.12 pwdCanChange=1.3.6.1.4.1.7165.2.1.8
pwdLastSet=1.3.6.1.4.1.7165.2.1.3 qladnmanager=1.3.6.1.4.1.7914.1.4.1.1
qlaDomainList=1.3.6.1.4.1.7914.1.4.1.2 qlaMailHostList=1.3.6.1.4.1.7914.1.4.1.10
qlaMailMStorePrefix=1.3.6.1.4.1.7914.1.4.1.6 qlaMailQuotaCount=1.3.6.1.4.1.7914.1.4.1.8
qlaMailQuotaSize=1.3.6.1.4.1.7914.1.4.1.7 qlaMailSizeMax=1.3.6.1.4.1.7914.1.4.1.9
qlaQmailGid=1.3.6.1.4.1.7914.1.4.1.5 qlaQmailUid=1.3.6.1.4.1.7914.1.4.1.4
qlaUidPrefix=1.3.6.1.4.1.7914.1.4.1.3 qmailAccountPurge=1.3.6.1.4.1.7914.1.2.1.13
qmailDotMode=1.3.6.1.4.1.7914.1.2.1.9 qmailGID=1.3.6.1.4.1.7914.1.2.1.2
qmailUID=1.3.6.1.4.1.7914.1.2.1.1 radiusArapFeatures=1.3.6.1.4.1.3317.4.3.1.1
radiusArapSecurity=1.3.6.1.4.1.3317.4.3.1.2 radiusArapZoneAccess=1.3.6.1.4.1.3317.4.3.1.3
radiusAuthType=1.3.6.1.4.1.3317.4.3.1.44 radiusCallbackId=1.3.6.1.4.1.3317.4.3.1.4
radiusCallbackNumber=1.3.6.1.4.1.3317.4.3.1.5 radiusCalledStationId=1.3.6.1.4.1.3317.4.3.1.6
radiusCallingStationId=1.3.6.1.4.1.3317.4.3.1.7 radiusCheckItem=1.3.6.1.4.1.3317.4.3.1.59
radiusClass=1.3.6.1.4.1.3317.4.3.1.8 radiusClientIPAddress=1.3.6.1.4.1.3317.4.3.1.45
radiusClientNASType=1.3.6.1.4.1.3317.4.3.1.65 radiusClientSecret=1.3.6.1.4.1.3317.4.3.1.64
radiusClientShortName=1.3.6.1.4.1.3317.4.3.1.66 radiusExpiration=1.3.6.1.4.1.3317.4.3.1.58
radiusFilterId=1.3.6.1.4.1.3317.4.3.1.9 radiusFramedAppleTalkLink=1.3.6.1.4.1.3317.4.3.1.10
radiusFramedAppleTalkNetwork=1.3.6.1.4.1.3317.4.3.1.11
radiusFramedAppleTalkZone=1.3.6.1.4.1.3317.4.3.1.12
radiusFramedCompression=1.3.6.1.4.1.3317.4.3.1.13 radiusFramedIPAddress=1.3.6.1.4.1.3317.4.3.1.14
radiusFramedIPNetmask=1.3.6.1.4.1.3317.4.3.1.15 radiusFramedIPXNetwork=1.3.6.1.4.1.3317.4.3.1.16
radiusFramedMTU=1.3.6.1.4.1.3317.4.3.1.17 radiusFramedProtocol=1.3.6.1.4.1.3317.4.3.1.18
radiusFramedRoute=1.3.6.1.4.1.3317.4.3.1.19 radiusFramedRouting=1.3.6.1.4.1.3317.4.3.1.20
radiusGroupName=1.3.6.1.4.1.3317.4.3.1.46 radiusHint=1.3.6.1.4.1.3317.4.3.1.47
radiusHuntgroupName=1.3.6.1.4.1.3317.4.3.1.48 radiusIdleTimeout=1.3.6.1.4.1.3317.4.3.1.21
radiusLoginIPHost=1.3.6.1.4.1.3317.4.3.1.22 radiusLoginLATGroup=1.3.6.1.4.1.3317.4.3.1.23
radiusLoginLATNode=1.3.6.1.4.1.3317.4.3.1.24 radiusLoginLATPort=1.3.6.1.4.1.3317.4.3.1.25
radiusLoginLATService=1.3.6.1.4.1.3317.4.3.1.26 radiusLoginService=1.3.6.1.4.1.3317.4.3.1.27
radiusLoginTCPPort=1.3.6.1.4.1.3317.4.3.1.28 radiusLoginTime=1.3.6.1.4.1.3317.4.3.1.54
radiusNASIpAddress=1.3.6.1.4.1.3317.4.3.1.61 radiusPasswordRetry=1.3.6.1.4.1.3317.4.3.1.29
radiusPortLimit=1.3.6.1.4.1.3317.4.3.1.30 radiusProfileDn=1.3.6.1.4.1.3317.4.3.1.49
radiusPrompt=1.3.6.1.4.1.3317.4.3.1.31 radiusProxyToRealm=1.3.6.1.4.1.3317.4.3.1.50
radiusRealm=1.3.6.1.4.1.3317.4.3.1.52 radiusReplicateToRealm=1.3.6.1.4.1.3317.4.3.1.51
radiusReplyItem=1.3.6.1.4.1.3317.4.3.1.60 radiusReplyMessage=1.3.6.1.4.1.3317.4.3.1.62
radiusServiceType=1.3.6.1.4.1.3317.4.3.1.32 radiusSessionTimeout=1.3.6.1.4.1.3317.4.3.1.33
radiusSimultaneousUse=1.3.6.1.4.1.3317.4.3.1.53 radiusStripUserName=1.3.6.1.4.1.3317.4.3.1.56
radiusTerminationAction=1.3.6.1.4.1.3317.4.3.1.34 radiusTunnelAssignmentId=1.3.6.1.4.1.3317.4.3.1.35
radiusTunnelClientEndpoint=1.3.6.1.4.1.3317.4.3.1.43
radiusTunnelMediumType=1.3.6.1.4.1.3317.4.3.1.36 radiusTunnelPassword=1.3.6.1.4.1.3317.4.3.1.37
radiusTunnelPreference=1.3.6.1.4.1.3317.4.3.1.38
radiusTunnelPrivateGroupId=1.3.6.1.4.1.3317.4.3.1.39
radiusTunnelServerEndpoint=1.3.6.1.4.1.3317.4.3.1.40 radiusTunnelType=1.3.6.1.4.1.3317.4.3.1.41
radiusUserCategory=1.3.6.1.4.1.3317.4.3.1.55 radiusVSA=1.3.6.1.4.1.3317.4.3.1.42
rfc822member=1.3.6.1.4.1.7914.1.3.1.2 rfc822moderator=1.3.6.1.4.1.7914.1.3.1.8
rfc822sender=1.3.6.1.4.1.7914.1.3.1.11 rid=1.3.6.1.4.1.7165.2.1.14
scriptPath=1.3.6.1.4.1.7165.2.1.11 senderconfirm=1.3.6.1.4.1.7914.1.3.1.4
smbHome=1.3.6.1.4.1.7165.2.1.17 transport=1.3.6.1.4.1.15347.2.102
userWorkstations=1.3.6.1.4.1.7165.2.1.13
"""
