#!/bin/sh
# scripts/deps.sh: install what building, running and testing Kestrel needs, if it
# is missing: Debian/Ubuntu packages (apt-get, through sudo when not root; musl-gcc
# and glibc's static libc build the C test programs, dash is the reference of the
# shell suite, tests/sh_suite.rs) and the Rust toolchain pinned
# in rust-toolchain.toml with its targets (rustup).
set -eu
cd "$(dirname "$0")/.."

need=""
have() { command -v "$1" >/dev/null 2>&1; }
have qemu-system-x86_64 || need="$need qemu-system-x86"
have grub-mkrescue || need="$need grub-common"
[ -d /usr/lib/grub/i386-pc ] || need="$need grub-pc-bin"
[ -d /usr/lib/grub/x86_64-efi ] || need="$need grub-efi-amd64-bin"
have xorriso || need="$need xorriso"
have mformat || need="$need mtools"
have objcopy || need="$need binutils"
have gdb || need="$need gdb"
have cpio || need="$need cpio"
have pkill || need="$need procps"
have script || need="$need bsdutils"
have bochs || need="$need bochs bochsbios vgabios bochs-term"
[ -f /usr/share/OVMF/OVMF_CODE_4M.fd ] || need="$need ovmf"
have gcc || need="$need gcc"
have musl-gcc || need="$need musl-tools"
[ -f /usr/lib/x86_64-linux-gnu/libc.a ] || need="$need libc6-dev"
have dash || need="$need dash"

if [ -n "$need" ]; then
    if have apt-get; then
        sudo=""
        [ "$(id -u)" = 0 ] || sudo=sudo
        echo "deps: installing$need"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $need >/dev/null
    else
        echo "deps: please install by hand: QEMU (qemu-system-x86_64), GRUB 2 for i386-pc and" >&2
        echo "      x86_64-efi with grub-mkrescue, xorriso, mtools, binutils, cpio, gdb, Bochs, OVMF," >&2
        echo "      gcc with glibc's static libc, musl-gcc, dash" >&2
        echo "      (missing Debian packages:$need)" >&2
        exit 1
    fi
fi

if ! have rustup; then
    echo "deps: please install rustup (https://rustup.rs); it installs the pinned toolchain" >&2
    exit 1
fi
toolchain=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
if ! rustup target list --installed --toolchain "$toolchain" 2>/dev/null | grep -q x86_64-unknown-none ||
   ! rustup target list --installed --toolchain "$toolchain" 2>/dev/null | grep -q x86_64-unknown-linux-musl; then
    echo "deps: installing Rust $toolchain with its targets"
    rustup toolchain install "$toolchain" --profile minimal --component rustfmt,clippy \
        --target x86_64-unknown-none,x86_64-unknown-linux-musl
fi
