#!/bin/sh
# scripts/apt-lists.sh PKG...: make sure apt knows PKG... (the host's apt sources),
# refreshing the package lists (apt-get update, through sudo when not root, as
# scripts/deps.sh does) only when it does not know one yet. Exits 1, naming
# them, for packages apt still does not know (or that are only virtual).
set -eu
unknown() {
    known=" $(apt-cache show --no-all-versions "$@" 2>/dev/null | awk '/^Package:/ { print $2 }' | tr '\n' ' ') "
    for pkg in "$@"; do
        [ "${known#* "$pkg" }" != "$known" ] || printf ' %s' "$pkg"
    done
}
if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-deb >/dev/null 2>&1; then
    echo "apt-lists: apt-get and dpkg-deb (Debian or Ubuntu) are needed for: $*" >&2
    exit 1
fi
[ -n "$(unknown "$@")" ] || exit 0
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
echo "apt-lists: refreshing the package lists"
$sudo apt-get update -qq
missing=$(unknown "$@")
if [ -n "$missing" ]; then
    echo "apt-lists: apt knows no package$missing (a virtual one? name a package that provides it)" >&2
    exit 1
fi
