#!/bin/sh
# scripts/mkinitramfs.sh BINDIR OUT [EXTRADIR [DEBSDIR [DEBIANROOT]]]: the initramfs (cpio, newc)
# holding initramfs/, every user program built in BINDIR under /bin (their names
# come from user/*: the package name for src/main.rs, the file or folder name
# for each src/bin/NAME.rs and src/bin/NAME/main.rs), every file of EXTRADIR under /bin too (the C test programs,
# build-ctests.sh) and its directory root/ at the image's root (the loaders and
# libraries of the dynamically linked ones), init and getty in /sbin (passwd and
# su set-user-ID root, /etc/shadow readable by root only), and a
# /bin/NAME -> kbox symlink for each applet of the multi-call binary (the static
# binary runs on the build host too: `kbox --list`). From DEBSDIR (Debian packages unpacked by fetch-debs.sh), when
# there: busybox-static's busybox and bash-static's bash-static in /usr/bin (no
# applet links: /bin is Kestrel's) with the script they run in the differential
# tests at /usr/share/tests/differential/busybox.sh (with tests/checks.sh, which it and
# tests/debian's scripts source, at /usr/share/tests/checks.sh). From DEBIANROOT (the Debian programs of
# `make iso DEBS=...`, scripts/debian-root.sh), when not empty: its whole tree
# (/usr, /etc, the /lib and /lib64 symlinks; Kestrel's own /lib and /lib64 are
# merged into /usr first), where Debian's file replaces one of Kestrel's of the
# same path (a Debian system's libraries stay whole) but in /etc, where
# Kestrel's is kept (its accounts), either with a warning; and the scripts
# tests/debian.rs runs with them in /usr/share/tests/debian/.
# The manual pages (docs/man/NAME) go to /usr/share/man. The shell suite's scripts (tests/sh/*.sh) go
# to /usr/share/tests/sh with boot.sh, which runs those tests/sh/boot.list names one
# by one, each between an `=== NAME` and an `=== status N` line, then says `=== done`
# (tests/sh_suite.rs reads that), with standard error off the console; it uses
# simple commands only, so that it works whatever compound commands the shell under
# test gets wrong.
# Everything is root's, but for the home directories of the users etc/passwd
# names: each is packed once more, owned by its user, in an archive of its own
# after the first (the kernel unpacks concatenated archives as Linux does, a
# later entry setting the attributes of a directory already made). /tmp is
# drwxrwxrwt, as on Linux.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
bindir=$1
out=$(realpath -m "$2")
extradir=${3:-}
debsdir=${4:-}
debianroot=${5:-}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -a "$root/initramfs/." "$stage/"
mkdir -p "$stage/bin" "$stage/sbin" "$stage/dev" "$stage/proc" "$stage/tmp"
for pkg in "$root"/user/*/; do
    names=""
    [ -f "$pkg/src/main.rs" ] && names=$(basename "$pkg")
    for bin in "$pkg"/src/bin/*.rs "$pkg"/src/bin/*/main.rs; do
        [ -f "$bin" ] && names="$names $(basename "${bin%/main.rs}" .rs)"
    done
    for name in $names; do
        cp "$bindir/$name" "$stage/bin/$name"
    done
done
if [ -n "$extradir" ]; then
    for file in "$extradir"/*; do
        [ -f "$file" ] && cp "$file" "$stage/bin/"
    done
    if [ -d "$extradir/root" ]; then
        cp -a "$extradir/root/." "$stage/"
    fi
fi
for deb in busybox-static/bin/busybox bash-static/bin/bash-static; do
    if [ -n "$debsdir" ] && [ -f "$debsdir/$deb" ]; then
        mkdir -p "$stage/usr/bin" "$stage/usr/share/tests/differential"
        cp "$debsdir/$deb" "$stage/usr/bin/"
        cp "$root/tests/differential/busybox.sh" "$stage/usr/share/tests/differential/"
    fi
done
if [ -n "$debianroot" ] && [ -n "$(ls -A "$debianroot")" ]; then
    # Merged /usr for Kestrel's files too: what it has in /lib or /lib64 (loaders
    # and libraries for dynamically linked test programs) joins Debian's in /usr.
    for dir in lib lib64; do
        if [ -d "$stage/$dir" ] && [ ! -L "$stage/$dir" ]; then
            mkdir -p "$stage/usr/$dir"
            cp -a "$stage/$dir/." "$stage/usr/$dir/"
            rm -rf "${stage:?}/$dir"
        fi
    done
    (cd "$debianroot" && find . ! -type d) | while read -r file; do
        if [ -e "$stage/$file" ] || [ -L "$stage/$file" ]; then
            case $file in
                ./etc/*) echo "mkinitramfs: ${file#.}: Kestrel's is kept, Debian's left out" >&2 ;;
                *)
                    echo "mkinitramfs: ${file#.}: Debian's replaces Kestrel's" >&2
                    rm -f "$stage/$file"
                    ;;
            esac
        fi
    done
    cp -a -n "$debianroot/." "$stage/"
    mkdir -p "$stage/usr/share/tests/debian"
    cp "$root"/tests/debian/* "$stage/usr/share/tests/debian/"
fi
mkdir -p "$stage/usr/share/tests"
cp "$root/tests/checks.sh" "$stage/usr/share/tests/"
mkdir -p "$stage/usr/share/man"
cp "$root"/docs/man/* "$stage/usr/share/man/"
mkdir -p "$stage/usr/share/tests/sh"
cp "$root"/tests/sh/*.sh "$stage/usr/share/tests/sh/"
{
    echo 'exec 2>/dev/null'
    grep -v '^#' "$root/tests/sh/boot.list" | while read -r name; do
        printf 'echo "=== %s"\n/bin/sh /usr/share/tests/sh/%s </dev/null 2>/dev/null\necho "=== status $?"\n' \
            "$name" "$name"
    done
    echo 'echo "=== done"'
} >"$stage/usr/share/tests/sh/boot.sh"
for prog in init getty; do
    if [ -f "$stage/bin/$prog" ]; then
        mv "$stage/bin/$prog" "$stage/sbin/$prog"
    fi
done
# The password hashes are root's alone; passwd and su act for other users as
# root (set-user-ID).
[ -f "$stage/etc/shadow" ] && chmod 0600 "$stage/etc/shadow"
for prog in passwd su; do
    [ -f "$stage/bin/$prog" ] && chmod 4755 "$stage/bin/$prog"
done
if [ -x "$stage/bin/kbox" ]; then
    for applet in $("$stage/bin/kbox" --list); do
        [ -e "$stage/bin/$applet" ] || ln -s kbox "$stage/bin/$applet"
    done
fi
# Each user's home directory: uid, gid, path.
homes() {
    [ -f "$stage/etc/passwd" ] || return 0
    while IFS=: read -r _ _ uid gid _ home _; do
        case $home in /?*) echo "$uid $gid $home" ;; esac
    done <"$stage/etc/passwd"
}
homes | while read -r _ _ home; do
    mkdir -p "$stage$home" && chmod 0755 "$stage$home"
done
chmod 1777 "$stage/tmp"
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 >"$out")
homes | while read -r uid gid home; do
    [ "$uid" = 0 ] && continue
    (cd "$stage" && find ".$home" | LC_ALL=C sort | cpio --quiet -o -H newc -R "$uid:$gid" >>"$out")
done
