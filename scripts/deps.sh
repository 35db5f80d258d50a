#!/bin/sh
# Installs the Debian packages civstat needs to build, test and run, and only
# those that are missing: quiet and quick when everything is there.
set -e
PKGS="gcc make pkg-config libc6-dev libsqlite3-dev sqlite3 libjansson-dev
libcmocka-dev clang libclang-rt-14-dev python3 libsodium-dev libmicrohttpd-dev
zlib1g-dev libxlsxwriter-dev libpq-dev postgresql-15 nodejs wrk curl chromium
fonts-noto-cjk nginx"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
if [ "$(id -u)" != 0 ]; then
	echo "deps: not root; run as root: apt-get install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends $missing >/dev/null
