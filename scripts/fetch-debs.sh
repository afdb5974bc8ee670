#!/bin/sh
# scripts/fetch-debs.sh DIR PKG...: download Debian packages (the host's apt
# sources, `apt-get download`) into the cache DIR, once, and unpack each into
# DIR/PKG/ with `dpkg-deb -R` (its files, and its control files in DIR/PKG/DEBIAN/).
# Nothing is installed on the host; the package lists are refreshed
# (scripts/apt-lists.sh) only when apt does not know a package yet.
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
    "$(dirname "$0")/apt-lists.sh" $missing
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
    # Unpacked again only when the .deb is newer than the folder (or the folder
    # lacks the control files).
    if [ ! -d "$dir/$pkg/DEBIAN" ] || [ "$deb" -nt "$dir/$pkg" ]; then
        rm -rf "$dir/$pkg" "$dir/$pkg.tmp"
        dpkg-deb -R "$deb" "$dir/$pkg.tmp"
        mv "$dir/$pkg.tmp" "$dir/$pkg"
        touch "$dir/$pkg"
    fi
done
