#!/bin/sh
# scripts/host-libs.sh ROOT PROGRAM...: copy into the directory tree ROOT, each at
# its own path, what the dynamically linked PROGRAMs need to run elsewhere: the
# dynamic loader each names (its PT_INTERP) and the shared libraries that loader
# finds for it on this host (`LOADER --list PROGRAM`, what ldd prints), symbolic
# links resolved. Static programs need nothing. mkinitramfs.sh puts ROOT into the
# image (build-ctests.sh makes it for the dynamically linked test programs).
set -eu
root=$1
shift
for program in "$@"; do
    loader=$(readelf -lW "$program" | sed -n 's/.*Requesting program interpreter: \(.*\)]$/\1/p')
    [ -n "$loader" ] || continue
    # Lines are "name => /path (0x...)" or "/path (0x...)"; the vDSO has no path.
    libraries=$("$loader" --list "$program" | sed -n 's/.*=> \(\/[^ ]*\) (.*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p')
    for file in "$loader" $libraries; do
        mkdir -p "$root$(dirname "$file")"
        cp -L "$file" "$root$file"
    done
done
