#!/usr/bin/env bash
# The whole loop on the bundled example (ldifctl.yaml, directory/, policies/) against a
# throwaway slapd that this script starts on 127.0.0.1 and always stops, even on failure:
#
#   validate -> plan between two git revisions -> plan against the server -> apply
#   -> resolve -> a refused change piped into ldapmodify -> a hand edit -> drift
#
# The example is copied to a temporary git repo first: this checkout is never changed.
# The root password is random, lives in a 0600 file, and never appears on a command line.
set -euo pipefail
cd "$(dirname "$0")/.."
project=$PWD
ldifctl=${LDIFCTL:-$project/.venv/bin/ldifctl}
export LDAPNOINIT=1  # ~/.ldaprc and /etc/ldap/ldap.conf must not change what this shows
export PATH="$PATH:/usr/sbin:/sbin"
suffix=dc=example,dc=net
admin=cn=admin,$suffix

work=$(mktemp -d /tmp/ldifctl-demo.XXXXXX)
stop_slapd() {
  local pid
  pid=$(cat "$work/slapd.pid" 2>/dev/null) || pid=""
  if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
    while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  fi
  rm -rf "$work"
}
trap stop_slapd EXIT

# Bold step headers on a terminal only, and never with NO_COLOR (https://no-color.org).
if [ -t 2 ] && [ -z "${NO_COLOR:-}" ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
step() { printf '\n%s$ %s%s\n' "$bold" "$*" "$plain" >&2; }

# --- A slapd with the two mail schemas, on a free loopback port.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(umask 077 && head -c 18 /dev/urandom | base64 | tr -d '\n' > "$work/root.pw")
mkdir -p "$work/slapd.d" "$work/db"
{
  printf 'dn: cn=config\nobjectClass: olcGlobal\ncn: config\nolcPidFile: %s\n\n' "$work/slapd.pid"
  printf 'dn: cn=schema,cn=config\nobjectClass: olcSchemaConfig\ncn: schema\n\n'
  for schema in /etc/ldap/schema/{core,cosine,inetorgperson,nis}.ldif \
                "$project"/ldifctl/schema_files/{mailrecipient,postfix-book}.ldif; do
    printf 'include: file://%s\n\n' "$schema"
  done
  printf 'dn: cn=module,cn=config\nobjectClass: olcModuleList\ncn: module\nolcModuleLoad: back_mdb\n\n'
  printf 'dn: olcDatabase=mdb,cn=config\nobjectClass: olcDatabaseConfig\nobjectClass: olcMdbConfig\n'
  printf 'olcDatabase: mdb\nolcSuffix: %s\nolcRootDN: %s\nolcRootPW: %s\nolcDbDirectory: %s\n' \
    "$suffix" "$admin" "$(slappasswd -T "$work/root.pw")" "$work/db"
} > "$work/config.ldif"
slapadd -q -n0 -F "$work/slapd.d" -l "$work/config.ldif"
slapd -F "$work/slapd.d" -h "ldap://127.0.0.1:$port/"
for _ in $(seq 100); do
  ldapsearch -x -H "ldap://127.0.0.1:$port" -s base -b "" 1.1 > /dev/null 2>&1 && break
  sleep 0.05
done
echo "slapd (pid $(cat "$work/slapd.pid")) on ldap://127.0.0.1:$port, empty" >&2

# --- The example as a directory repo with two commits: the second adds a forward.
mkdir "$work/repo"
cp -r ldifctl.yaml directory policies "$work/repo/"
cd "$work/repo"
git init -q -b main
git add -A && git -c user.name=demo -c user.email=demo@example.invalid commit -qm "example"
sed -i 's/^mailAlternateAddress: internal.user@company.com$/mailAlternateAddress:\n  - internal.user@company.com\n  - iu@company.com/' \
  directory/dc=net/dc=example/ou=people/cn=internal.user.yaml
git -c user.name=demo -c user.email=demo@example.invalid commit -qam "iu@company.com is internal.user too"

export LDIFCTL_URI=ldap://127.0.0.1:$port LDIFCTL_BIND_DN=$admin
export LDIFCTL_BIND_PASSWORD_FILE=$work/root.pw

step ldifctl validate
"$ldifctl" validate
step ldifctl plan --base HEAD~1 --head HEAD
"$ldifctl" plan --base HEAD~1 --head HEAD
step ldifctl plan --base server
"$ldifctl" plan --base server > "$work/plan.ldif"
head -n 12 "$work/plan.ldif"
echo "... ($(grep -c '^changetype:' "$work/plan.ldif") change records)"
step "ldifctl apply --yes > applied.ldif   (the plan above, read afresh)"
"$ldifctl" apply --yes > "$work/applied.ldif"
if "$ldifctl" resolve --help > /dev/null 2>&1; then
  step ldifctl resolve iu@company.com
  "$ldifctl" resolve iu@company.com
fi

step "ldifctl plan | ldapmodify   (an edit that makes user@old-domain.com forward to itself)"
sed -i 's/^mailForwardingAddress: user@new-domain.com$/mailForwardingAddress:\n  - user@new-domain.com\n  - user@old-domain.com/' \
  directory/dc=net/dc=example/ou=people/cn=user.yaml
status=0
"$ldifctl" plan | ldapmodify -x -H "$LDIFCTL_URI" -D "$admin" -y "$work/root.pw" || status=$?
echo "ldifctl plan exited $status: the plan is refused, so it printed no LDIF and ldapmodify sent nothing" >&2
[ "$status" -eq 1 ]
git checkout -q -- directory

step "ldapmodify (a hand edit on the server, behind git's back)"
ldapmodify -x -H "$LDIFCTL_URI" -D "$admin" -y "$work/root.pw" <<'LDIF'
dn: cn=user,ou=people,dc=example,dc=net
changetype: modify
delete: mailForwardingAddress
mailForwardingAddress: user@new-domain.com
-
add: mailForwardingAddress
mailForwardingAddress: someone@elsewhere.example
-
LDIF

step ldifctl drift
status=0
"$ldifctl" drift || status=$?
echo "ldifctl drift exited $status (3: the server drifted from the repo)" >&2
[ "$status" -eq 3 ]
