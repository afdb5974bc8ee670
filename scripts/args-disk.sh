#!/bin/sh
# scripts/args-disk.sh OUT ARGS...: make a small FAT disk image labelled KESTRELARGS
# whose args.cfg makes grub/grub.cfg append ARGS to the kernel command line.
# KESTREL_GRUB_ENTRY, when set, is added to args.cfg as well: a menuentry there
# comes before grub.cfg's own and is booted instead (tests of other GRUB setups).
set -eu
out=$1
shift
cfg=$(mktemp)
trap 'rm -f "$cfg"' EXIT
printf 'set kestrel_args="%s"\n' "$*" >"$cfg"
if [ -n "${KESTREL_GRUB_ENTRY:-}" ]; then
    printf '%s\n' "$KESTREL_GRUB_ENTRY" >>"$cfg"
fi
rm -f "$out"
mformat -i "$out" -C -f 1440 -v KESTRELARGS ::
mcopy -i "$out" "$cfg" ::/args.cfg
