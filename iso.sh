#!/bin/sh
# iso.sh KERNEL INITRAMFS OUT: build the bootable hybrid ISO (BIOS and UEFI, CD and
# USB stick) with grub-mkrescue. The kernel on the ISO keeps its symbol table (for
# backtraces) but loses its debug info; build/kernel.elf stays whole for gdb.
set -eu
kernel=$1 initramfs=$2 out=$3
root=$(dirname "$0")
stage=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$stage" "$log"' EXIT
mkdir -p "$stage/boot/grub"
objcopy --strip-debug "$kernel" "$stage/boot/kernel.elf"
cp "$initramfs" "$stage/boot/initramfs.cpio"
cp "$root/grub/grub.cfg" "$stage/boot/grub/grub.cfg"
# The log goes outside the folder being packed (a file that grows while xorriso
# reads the folder makes it fail, and would land in the image).
grub-mkrescue --fonts= --locales= --themes= --compress=xz -o "$out" "$stage" 2>"$log" || {
    cat "$log" >&2
    exit 1
}
