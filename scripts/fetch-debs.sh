#!/bin/sh
# scripts/fetch-debs.sh DIR PKG...: download Debian packages (the host's apt
# sources, `apt-get download`) into the cache DIR, once, and unpack each into
# DIR/PKG/ with `dpkg-deb -x`. Nothing is installed on the host; the package
# lists are refreshed (apt-get update, through sudo when not root, as
# scripts/deps.sh does) only when apt does not know a package yet.
set -eu
dir=$1
shift
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

cached() { ls "$dir/${1}_"*.deb >/dev/null 2>&1; }

missing=""
for pkg in "$@"; do
    cached "$pkg" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
    if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-deb >/dev/null 2>&1; then
        echo "fetch-debs: apt-get and dpkg-deb (Debian or Ubuntu) are needed for:$missing" >&2
        exit 1
    fi
    if ! apt-cache show $missing >/dev/null 2>&1; then
        sudo=""
        [ "$(id -u)" = 0 ] || sudo=sudo
        echo "fetch-debs: refreshing the package lists"
        $sudo apt-get update -qq
    fi
    echo "fetch-debs: downloading$missing"
    # apt-get writes into the current directory; as root it warns that its
    # sandbox user cannot, which is harmless here.
    (cd "$dir" && apt-get download -q $missing 2>&1 | grep -v "unsandboxed" >&2 || true)
    for pkg in $missing; do
        cached "$pkg" || { echo "fetch-debs: could not download $pkg" >&2; exit 1; }
    done
fi

for pkg in "$@"; do
    deb=$(ls "$dir/${pkg}_"*.deb | tail -n 1)
    # Unpacked again only when the .deb is newer than the folder.
    if [ ! -d "$dir/$pkg" ] || [ "$deb" -nt "$dir/$pkg" ]; then
        rm -rf "$dir/$pkg" "$dir/$pkg.tmp"
        dpkg-deb -x "$deb" "$dir/$pkg.tmp"
        mv "$dir/$pkg.tmp" "$dir/$pkg"
        touch "$dir/$pkg"
    fi
done
