#!/bin/sh
# scripts/linux-bench-initramfs.sh BINDIR CTESTDIR OUT: the initramfs (cpio, newc)
# `make bench` boots Debian's Linux with (`rdinit=/bin/ktest-bench`): the same
# benchmark program Kestrel runs, ktest-bench from BINDIR, and what it runs:
# /bin/true (kbox, as in Kestrel's image, where true is a link to it), /bin/sh
# (Kestrel's shell, for fork+sh -c), the static
# and dynamic C programs of CTESTDIR (ktest-true-static, ktest-true-dynamic) with the
# loader the dynamic one needs (CTESTDIR/root), and an empty /tmp.
set -eu
bindir=$1 ctestdir=$2
out=$(realpath -m "$3")
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/tmp" "$stage/dev" "$stage/proc"
cp "$bindir/ktest-bench" "$stage/bin/"
cp "$bindir/kbox" "$stage/bin/kbox"
ln -s kbox "$stage/bin/true"
cp "$bindir/sh" "$stage/bin/sh"
cp "$ctestdir/ktest-true-static" "$ctestdir/ktest-true-dynamic" "$stage/bin/"
cp -a "$ctestdir/root/." "$stage/"
chmod 1777 "$stage/tmp"
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 >"$out")
