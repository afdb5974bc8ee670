#!/bin/sh
# scripts/linux-kernel.sh DIR: Debian's current kernel (the package that
# linux-image-amd64 depends on), downloaded once into the cache DIR with
# `apt-get download` (nothing is installed on the host), its vmlinuz extracted to
# DIR/vmlinuz; prints that path. `make bench` boots it beside Kestrel.
set -eu
dir=$1
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
scripts=$(cd "$(dirname "$0")" && pwd)
if [ ! -s "$dir/vmlinuz" ]; then
    "$scripts/apt-lists.sh" linux-image-amd64
    pkg=$(apt-cache depends linux-image-amd64 | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1)
    [ -n "$pkg" ] || { echo "linux-kernel: no kernel package behind linux-image-amd64" >&2; exit 1; }
    if ! ls "$dir/${pkg}_"*.deb >/dev/null 2>&1; then
        echo "linux-kernel: downloading $pkg" >&2
        (cd "$dir" && apt-get download -q "$pkg" 2>&1 | grep -v "unsandboxed" >&2 || true)
    fi
    deb=$(ls "$dir/${pkg}_"*.deb | tail -n 1)
    dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards './boot/vmlinuz-*' >"$dir/vmlinuz.tmp"
    mv "$dir/vmlinuz.tmp" "$dir/vmlinuz"
fi
echo "$dir/vmlinuz"
