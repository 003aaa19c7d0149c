#!/usr/bin/env bash
# Installs what ldifctl and its tests need on Debian 12, then the project in .venv:
# the real servers the tests start (slapd, 389-ds-base), ldap-utils and Postfix's
# postmap, and the headers and compiler python-ldap builds against. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  slapd ldap-utils postfix postfix-ldap libldap2-dev libsasl2-dev git
  # `ip netns`: the test of server.uri lists runs in a network namespace of its own.
  iproute2
  # script(1), which gives `postfix start` in the tests a terminal to print its errors to.
  bsdutils
  # A brand-new Debian has neither venv nor the headers pip needs to build python-ldap.
  python3 python3-venv python3-dev gcc
  # The tests draw the Markdown comment's Mermaid pictures with the real Mermaid
  # (package.json) in Debian's browser.
  nodejs chromium
  # jq and curl: the CI templates page through the notes with them; a test runs their
  # scripts as written (tests/project/test_ci_notes.py). A minimal Debian has no curl.
  jq curl
)
# Debian's npm, unless a Node.js that brings its own (NodeSource's, which conflicts) is here.
command -v npm >/dev/null || packages+=(npm)
# Without --no-install-recommends 389-ds-base also pulls in cockpit and friends.
packages_389=(389-ds-base)

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)

installed() {
  dpkg-query -W -f='${db:Status-Abbrev}\n' "$@" 2>/dev/null | grep -c '^ii' | grep -qx "$#"
}

if ! installed "${packages[@]}" "${packages_389[@]}"; then
  # Postfix would otherwise ask which mail setup to configure; postmap needs none.
  echo "postfix postfix/main_mailer_type select No configuration" |
    "${sudo[@]}" debconf-set-selections
  "${sudo[@]}" apt-get update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${packages[@]}" </dev/null
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${packages_389[@]}" </dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev]'
# An editable install leaves ldifctl's bytecode to the first import, which does not
# write it when PYTHONDONTWRITEBYTECODE is set: every run would compile every module.
.venv/bin/python -m compileall -q ldifctl
# Mermaid's command line, into node_modules/ (ignored by git), as package-lock.json pins
# it. Puppeteer must not fetch a browser of its own: it drives /usr/bin/chromium.
if ! cmp -s package-lock.json node_modules/.installed-lock.json; then
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --quiet
  cp package-lock.json node_modules/.installed-lock.json
fi
