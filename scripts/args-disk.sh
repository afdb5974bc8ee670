#!/bin/sh
# scripts/args-disk.sh OUT ARGS...: make a small FAT disk image labelled KESTRELARGS
# whose args.cfg makes grub/grub.cfg append ARGS to the kernel command line.
set -eu
out=$1
shift
cfg=$(mktemp)
trap 'rm -f "$cfg"' EXIT
printf 'set kestrel_args="%s"\n' "$*" >"$cfg"
rm -f "$out"
mformat -i "$out" -C -f 1440 -v KESTRELARGS ::
mcopy -i "$out" "$cfg" ::/args.cfg
