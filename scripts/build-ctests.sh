#!/bin/sh
# scripts/build-ctests.sh OUTDIR: build the C test programs in tests/guest-c/ into
# OUTDIR, static, with -Wall -Wextra -Werror: ktest-cpthreads (pthreads.c, musl-gcc
# -pthread), ktest-glibcfork (glibcfork.c, gcc with glibc), ktest-eventfd,
# ktest-unix, ktest-pty, ktest-vt and ktest-klog (eventfd.c, unix.c, pty.c, vt.c,
# klog.c, musl-gcc), and pty.c with glibc as ktest-ptyglibc. mkinitramfs.sh puts
# them in /bin; they run on the build host too.
# Dynamically linked (build_dynamic): dynamic.c with musl (ktest-dynmusl) and
# glibc (ktest-dynglibc, a PIE, and ktest-dynglibc-exec, not position
# independent), and tests/guest-rust/dynamic.rs for the host's Rust target
# (ktest-dynrust, glibc); the loaders and libraries they need go to OUTDIR/root
# (host-libs.sh), which mkinitramfs.sh copies to the image's root.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=$1
src=$root/tests/guest-c
cflags="-static -O2 -Wall -Wextra -Werror"

if ! command -v musl-gcc >/dev/null 2>&1; then
    echo "build-ctests: musl-gcc is missing: install musl-tools (scripts/deps.sh does)" >&2
    exit 1
fi
if ! command -v gcc >/dev/null 2>&1 || [ "$(gcc -print-file-name=libc.a)" = libc.a ]; then
    echo "build-ctests: gcc with glibc's static libc (libc.a) is missing: install gcc and" >&2
    echo "              libc6-dev (scripts/deps.sh does)" >&2
    exit 1
fi

mkdir -p "$out"
musl-gcc $cflags -pthread -o "$out/ktest-cpthreads" "$src/pthreads.c"
gcc $cflags -o "$out/ktest-glibcfork" "$src/glibcfork.c"
musl-gcc $cflags -pthread -o "$out/ktest-eventfd" "$src/eventfd.c"
musl-gcc $cflags -o "$out/ktest-vfork" "$src/vfork.c"
musl-gcc $cflags -pthread -o "$out/ktest-events" "$src/events.c"
musl-gcc $cflags -o "$out/ktest-unix" "$src/unix.c"
musl-gcc $cflags -o "$out/ktest-fifo" "$src/fifo.c"
musl-gcc $cflags -o "$out/ktest-prctl" "$src/prctl.c"
musl-gcc $cflags -o "$out/ktest-pty" "$src/pty.c"
musl-gcc $cflags -o "$out/ktest-vt" "$src/vt.c"
gcc $cflags -o "$out/ktest-ptyglibc" "$src/pty.c"
musl-gcc $cflags -o "$out/ktest-mount" "$src/mount.c"
musl-gcc $cflags -o "$out/ktest-true-static" "$src/true.c"
musl-gcc $cflags -o "$out/ktest-klog" "$src/klog.c"

build_dynamic() {
    dynflags="-O2 -Wall -Wextra -Werror -pthread"
    musl-gcc $dynflags -o "$out/ktest-dynmusl" "$src/dynamic.c"
    musl-gcc $dynflags -o "$out/ktest-true-dynamic" "$src/true.c"
    gcc $dynflags -o "$out/ktest-dynglibc" "$src/dynamic.c"
    gcc $dynflags -no-pie -o "$out/ktest-dynglibc-exec" "$src/dynamic.c"
    (cd "$root" && ${RUSTC:-rustc} --edition 2024 -O -C strip=symbols --target x86_64-unknown-linux-gnu \
        -o "$out/ktest-dynrust" tests/guest-rust/dynamic.rs)
    rm -rf "$out/root"
    "$root/scripts/host-libs.sh" "$out/root" "$out/ktest-dynmusl" "$out/ktest-true-dynamic" "$out/ktest-dynglibc" "$out/ktest-dynrust"
}
build_dynamic
