#!/usr/bin/env bash
# What the full test suite drives besides Node: Debian's Chromium (end to end), PostgreSQL
# (the second engine, on throw-away clusters), Redis (LiveKit's multi-node mode), and Saxon
# with xmllint for the ANS validators of the Fiche RCP (../shared/validators/cda). Installs
# the missing ones when allowed (root with apt-get); otherwise says which tests will be skipped.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -f /usr/share/java/Saxon-HE.jar ] || missing+=(libsaxonhe-java)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
	echo "Installing Debian packages for the tests: ${missing[*]}…"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	# The Debian package starts its own cluster and server; the tests start throw-away ones.
	if command -v service >/dev/null; then
		service postgresql stop >/dev/null 2>&1 || true
		service redis-server stop >/dev/null 2>&1 || true
	fi
else
	echo "Missing for some tests (they will be skipped with the reason): ${missing[*]}" >&2
fi
