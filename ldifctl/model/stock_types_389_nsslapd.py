"""The attribute types 389-DS 2.3.1 knows out of the box named nsslapd-* (its cn=config
settings): a part of the definitions of its subschema (cn=schema) with its default
schema, as the tests run it. stock_types.py says what they are for;
tests/model/test_stock_types.py holds the four parts (stock_types_389_a_m, _n, _nsslapd,
_o_z) together to the server."""

DS389_NSSLAPD_TYPES = """
nsslapd-accesscontrol=2.16.840.1.113730.3.1.2251 nsslapd-accesslog-level=2.16.840.1.113730.3.1.2170
nsslapd-accesslog-list=2.16.840.1.113730.3.1.2268
nsslapd-accesslog-logbuffering=2.16.840.1.113730.3.1.2257
nsslapd-accesslog-logexpirationtime=2.16.840.1.113730.3.1.2196
nsslapd-accesslog-logexpirationtimeunit=2.16.840.1.113730.3.1.2199
nsslapd-accesslog-logging-enabled=2.16.840.1.113730.3.1.2202
nsslapd-accesslog-logmaxdiskspace=2.16.840.1.113730.3.1.2190
nsslapd-accesslog-logminfreediskspace=2.16.840.1.113730.3.1.2193
nsslapd-accesslog-logrotationsync-enabled=2.16.840.1.113730.3.1.2175
nsslapd-accesslog-logrotationsynchour=2.16.840.1.113730.3.1.2178
nsslapd-accesslog-logrotationsyncmin=2.16.840.1.113730.3.1.2181
nsslapd-accesslog-logrotationtime=2.16.840.1.113730.3.1.2184
nsslapd-accesslog-logrotationtimeunit=2.16.840.1.113730.3.1.2187
nsslapd-accesslog-maxlogsize=2.16.840.1.113730.3.1.2172
nsslapd-accesslog-maxlogsperdir=2.16.840.1.113730.3.1.2171
nsslapd-accesslog=2.16.840.1.113730.3.1.2240
nsslapd-allow-anonymous-access=2.16.840.1.113730.3.1.2217
nsslapd-allow-hashed-passwords=2.16.840.1.113730.3.1.2307
nsslapd-allow-unauthenticated-binds=2.16.840.1.113730.3.1.2215
nsslapd-allowed-sasl-mechanisms=2.16.840.1.113730.3.1.2295
nsslapd-anonlimitsdn=2.16.840.1.113730.3.1.2236
nsslapd-attribute-name-exceptions=2.16.840.1.113730.3.1.2261
nsslapd-audit-logrotationsyncmin=2.16.840.1.113730.3.1.2183
nsslapd-auditfaillog-list=2.16.840.1.113730.3.1.2328
nsslapd-auditfaillog-logexpirationtime=2.16.840.1.113730.3.1.2323
nsslapd-auditfaillog-logexpirationtimeunit=2.16.840.1.113730.3.1.2324
nsslapd-auditfaillog-logging-enabled=2.16.840.1.113730.3.1.2325
nsslapd-auditfaillog-logging-hide-unhashed-pw=2.16.840.1.113730.3.1.2326
nsslapd-auditfaillog-logmaxdiskspace=2.16.840.1.113730.3.1.2321
nsslapd-auditfaillog-logminfreediskspace=2.16.840.1.113730.3.1.2322
nsslapd-auditfaillog-logrotationsync-enabled=2.16.840.1.113730.3.1.2317
nsslapd-auditfaillog-logrotationsynchour=2.16.840.1.113730.3.1.2318
nsslapd-auditfaillog-logrotationtime=2.16.840.1.113730.3.1.2319
nsslapd-auditfaillog-logrotationtimeunit=2.16.840.1.113730.3.1.2320
nsslapd-auditfaillog-maxlogsize=2.16.840.1.113730.3.1.2316
nsslapd-auditfaillog=2.16.840.1.113730.3.1.2327
nsslapd-auditlog-display-attrs=2.16.840.1.113730.3.1.2393
nsslapd-auditlog-list=2.16.840.1.113730.3.1.2270
nsslapd-auditlog-logexpirationtime=2.16.840.1.113730.3.1.2198
nsslapd-auditlog-logexpirationtimeunit=2.16.840.1.113730.3.1.2201
nsslapd-auditlog-logging-enabled=2.16.840.1.113730.3.1.2204
nsslapd-auditlog-logging-hide-unhashed-pw=2.16.840.1.113730.3.1.2205
nsslapd-auditlog-logmaxdiskspace=2.16.840.1.113730.3.1.2192
nsslapd-auditlog-logminfreediskspace=2.16.840.1.113730.3.1.2195
nsslapd-auditlog-logrotationsync-enabled=2.16.840.1.113730.3.1.2177
nsslapd-auditlog-logrotationsynchour=2.16.840.1.113730.3.1.2180
nsslapd-auditlog-logrotationtime=2.16.840.1.113730.3.1.2186
nsslapd-auditlog-logrotationtimeunit=2.16.840.1.113730.3.1.2189
nsslapd-auditlog-maxlogsize=2.16.840.1.113730.3.1.2174 nsslapd-auditlog=2.16.840.1.113730.3.1.2210
nsslapd-authenticateAsDN=2.16.840.1.113730.3.1.2376 nsslapd-bakdir=2.16.840.1.113730.3.1.2280
nsslapd-certdir=2.16.840.1.113730.3.1.2278 nsslapd-certmap-basedn=2.16.840.1.113730.3.1.2267
nsslapd-changelogcompactdb-interval=2.16.840.1.113730.3.1.2314
nsslapd-changelogdir=2.16.840.1.113730.3.1.2339 nsslapd-changelogmaxage=2.16.840.1.113730.3.1.2340
nsslapd-changelogmaxentries=2.16.840.1.113730.3.1.2341
nsslapd-changelogsuffix=2.16.840.1.113730.3.1.2093
nsslapd-changelogtrim-interval=2.16.840.1.113730.3.1.2313 nsslapd-config=2.16.840.1.113730.3.1.2273
nsslapd-connection-buffer=2.16.840.1.113730.3.1.2299
nsslapd-connection-nocanon=2.16.840.1.113730.3.1.2300 nsslapd-counters=2.16.840.1.113730.3.1.2237
nsslapd-csnlogging=2.16.840.1.113730.3.1.2258
nsslapd-defaultnamingcontext=2.16.840.1.113730.3.1.2288
nsslapd-disk-monitoring-grace-period=2.16.840.1.113730.3.1.2291
nsslapd-disk-monitoring-logging-critical=2.16.840.1.113730.3.1.2292
nsslapd-disk-monitoring-threshold=2.16.840.1.113730.3.1.2290
nsslapd-disk-monitoring=2.16.840.1.113730.3.1.2289
nsslapd-dynamic-plugins=2.16.840.1.113730.3.1.2304 nsslapd-dynamicconf=2.16.840.1.113730.3.1.2211
nsslapd-enable-turbo-mode=2.16.840.1.113730.3.1.2298
nsslapd-enable-upgrade-hash=2.16.840.1.113730.3.1.2370
nsslapd-encryptionalgorithm=2.16.840.1.113730.3.1.2353
nsslapd-enquote-sup-oc=2.16.840.1.113730.3.1.2266 nsslapd-errorlog-list=2.16.840.1.113730.3.1.2269
nsslapd-errorlog-logexpirationtime=2.16.840.1.113730.3.1.2197
nsslapd-errorlog-logexpirationtimeunit=2.16.840.1.113730.3.1.2200
nsslapd-errorlog-logging-enabled=2.16.840.1.113730.3.1.2203
nsslapd-errorlog-logmaxdiskspace=2.16.840.1.113730.3.1.2191
nsslapd-errorlog-logminfreediskspace=2.16.840.1.113730.3.1.2194
nsslapd-errorlog-logrotationsync-enabled=2.16.840.1.113730.3.1.2176
nsslapd-errorlog-logrotationsynchour=2.16.840.1.113730.3.1.2179
nsslapd-errorlog-logrotationsyncmin=2.16.840.1.113730.3.1.2182
nsslapd-errorlog-logrotationtime=2.16.840.1.113730.3.1.2185
nsslapd-errorlog-logrotationtimeunit=2.16.840.1.113730.3.1.2188
nsslapd-errorlog-maxlogsize=2.16.840.1.113730.3.1.2173 nsslapd-errorlog=2.16.840.1.113730.3.1.2241
nsslapd-filterrewriter=2.16.840.1.113730.3.1.2368
nsslapd-force-sasl-external=2.16.840.1.113730.3.1.2287
nsslapd-groupevalnestlevel=2.16.840.1.113730.3.1.2252
nsslapd-hash-filters=2.16.840.1.113730.3.1.2285 nsslapd-idletimeout=2.16.840.1.113730.3.1.2249
nsslapd-ignore-time-skew=2.16.840.1.113730.3.1.2303
nsslapd-ignore-virtual-attrs=2.16.840.1.113730.3.1.2296
nsslapd-instancedir=2.16.840.1.113730.3.1.2274 nsslapd-ioblocktimeout=2.16.840.1.113730.3.1.2250
nsslapd-ldapiautobind=2.16.840.1.113730.3.1.2230
nsslapd-ldapiautodnsuffix=2.16.840.1.113730.3.1.2092
nsslapd-ldapientrysearchbase=2.16.840.1.113730.3.1.2235
nsslapd-ldapifilepath=2.16.840.1.113730.3.1.2228
nsslapd-ldapigidnumbertype=2.16.840.1.113730.3.1.2234 nsslapd-ldapilisten=2.16.840.1.113730.3.1.2229
nsslapd-ldapimaprootdn=2.16.840.1.113730.3.1.2231
nsslapd-ldapimaptoentries=2.16.840.1.113730.3.1.2232
nsslapd-ldapiuidnumbertype=2.16.840.1.113730.3.1.2233
nsslapd-ldapiUsername=2.16.840.1.113730.3.1.2377 nsslapd-ldifdir=2.16.840.1.113730.3.1.2279
nsslapd-libPath=2.16.840.1.113730.3.1.2367 nsslapd-listen-backlog-size=2.16.840.1.113730.3.1.2302
nsslapd-listenhost=2.16.840.1.113730.3.1.2226 nsslapd-localhost=2.16.840.1.113730.3.1.2223
nsslapd-localssf=2.16.840.1.113730.3.1.2218 nsslapd-localuser=2.16.840.1.113730.3.1.2222
nsslapd-lockdir=2.16.840.1.113730.3.1.2276 nsslapd-logging-backend=2.16.840.1.113730.3.1.2330
nsslapd-logging-hr-timestamps-enabled=2.16.840.1.113730.3.1.2331
nsslapd-max-filter-nest-level=2.16.840.1.113730.3.1.2264
nsslapd-maxbersize=2.16.840.1.113730.3.1.2262 nsslapd-maxdescriptors=2.16.840.1.113730.3.1.2246
nsslapd-maxsasliosize=2.16.840.1.113730.3.1.2263
nsslapd-maxthreadsperconn=2.16.840.1.113730.3.1.2245
nsslapd-minssf-exclude-rootdse=2.16.840.1.113730.3.1.2220 nsslapd-minssf=2.16.840.1.113730.3.1.2219
nsslapd-moddn-aci=2.16.840.1.113730.3.1.2305 nsslapd-nagle=2.16.840.1.113730.3.1.2253
nsslapd-ndn-cache-enabled=2.16.840.1.113730.3.1.2293
nsslapd-ndn-cache-max-size=2.16.840.1.113730.3.1.2294
nsslapd-outbound-ldap-io-timeout=2.16.840.1.113730.3.1.2286
nsslapd-pagedsizelimit=2.16.840.1.113730.3.1.2169 nsslapd-parent-suffix=2.16.840.1.113730.3.1.2094
nsslapd-plugin-binddn-tracking=2.16.840.1.113730.3.1.2272
nsslapd-plugin-depends-on-type=2.16.840.1.113730.3.1.2151
nsslapd-plugin-logging=2.16.840.1.113730.3.1.2301
nsslapd-pluginConfigArea=2.16.840.1.113730.3.1.2104
nsslapd-pluginDescription=2.16.840.1.113730.3.1.230 nsslapd-pluginEnabled=2.16.840.1.113730.3.1.231
nsslapd-pluginId=2.16.840.1.113730.3.1.227 nsslapd-pluginInitfunc=2.16.840.1.113730.3.1.225
nsslapd-pluginPath=2.16.840.1.113730.3.1.224 nsslapd-pluginType=2.16.840.1.113730.3.1.226
nsslapd-pluginVendor=2.16.840.1.113730.3.1.229 nsslapd-pluginVersion=2.16.840.1.113730.3.1.228
nsslapd-port=2.16.840.1.113730.3.1.2224 nsslapd-pwpolicy-local=2.16.840.1.113730.3.1.2254
nsslapd-readonly=2.16.840.1.113730.3.1.2138 nsslapd-require-secure-binds=2.16.840.1.113730.3.1.2216
nsslapd-reservedescriptors=2.16.840.1.113730.3.1.2248
nsslapd-result-tweak=2.16.840.1.113730.3.1.2260
nsslapd-return-default-opattr=2.16.840.1.113730.3.1.2306
nsslapd-return-exact-case=2.16.840.1.113730.3.1.2259
nsslapd-return-original-entrydn=2.16.840.1.113730.3.1.2392
nsslapd-returnedAttrRewriter=2.16.840.1.113730.3.1.2369
nsslapd-rewrite-rfc1274=2.16.840.1.113730.3.1.2271 nsslapd-rootdn=2.16.840.1.113730.3.1.2207
nsslapd-rootdnpw=2.16.840.1.113730.3.1.2208 nsslapd-rootpwstoragescheme=2.16.840.1.113730.3.1.2209
nsslapd-rundir=2.16.840.1.113730.3.1.2282 nsslapd-sasl-mapping-fallback=2.16.840.1.113730.3.1.2143
nsslapd-sasl-max-buffer-size=2.16.840.1.113730.3.1.2156 nsslapd-saslpath=2.16.840.1.113730.3.1.2281
nsslapd-schemadir=2.16.840.1.113730.3.1.2275
nsslapd-search-return-original-type-switch=2.16.840.1.113730.3.1.2297
nsslapd-securelistenhost=2.16.840.1.113730.3.1.2243 nsslapd-securePort=2.16.840.1.113730.3.1.2242
nsslapd-security=2.16.840.1.113730.3.1.2238 nsslapd-snmp-index=2.16.840.1.113730.3.1.2227
nsslapd-ssl-check-hostname=2.16.840.1.113730.3.1.2284 nsslapd-SSL3ciphers=2.16.840.1.113730.3.1.2239
nsslapd-SSLclientAuth=2.16.840.1.113730.3.1.2283 nsslapd-suffix=2.16.840.1.113730.3.1.2091
nsslapd-svrtab=2.16.840.1.113730.3.1.2214 nsslapd-tcp-fin-timeout=2.16.840.1.113730.3.1.2387
nsslapd-tcp-keepalive-time=2.16.840.1.113730.3.1.2388
nsslapd-tls-check-crl=2.16.840.1.113730.3.1.2344 nsslapd-tmpdir=2.16.840.1.113730.3.1.2277
nsslapd-unhashed-pw-switch=2.16.840.1.113730.3.1.2206 nsslapd-userat=2.16.840.1.113730.3.1.2213
nsslapd-useroc=2.16.840.1.113730.3.1.2212 nsslapd-validate-cert=2.16.840.1.113730.3.1.2221
nsslapd-versionstring=2.16.840.1.113730.3.1.2265 nsslapd-workingdir=2.16.840.1.113730.3.1.2225
"""
