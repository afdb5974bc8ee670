#!/bin/sh
# scripts/usb.sh [--check] DEV [IMAGE]: `make usb DEV=/dev/sdX`. Writes IMAGE (the
# ISO) to the whole removable disk DEV after showing its model and size and
# reading `yes` on standard input. Refused: no DEV, a DEV that is not a block
# device, a partition, a disk the kernel does not call removable, a disk with a
# mounted partition, a disk smaller than the image. With --check, only DEV is
# checked. KESTREL_SYSROOT (tests only) is a directory standing for / where
# sys/class/block and proc/mounts are read.
set -eu
me=usb
usage() {
    echo "usage: make usb DEV=/dev/sdX    (the whole USB stick, not a partition: see lsblk)" >&2
    exit 2
}
die() {
    echo "$me: $*" >&2
    exit 1
}
check=0
if [ "${1:-}" = --check ]; then
    check=1
    shift
fi
[ $# -ge 1 ] && [ -n "$1" ] || usage
dev=$1
root=${KESTREL_SYSROOT:-}

[ -e "$dev" ] || die "$dev: no such device"
[ -b "$dev" ] || die "$dev: not a block device"
name=$(basename "$(realpath "$dev")")
sys=$root/sys/class/block/$name
[ -d "$sys" ] || die "$dev: $sys does not exist"
[ ! -e "$sys/partition" ] || die "$dev: is a partition; give the whole disk (such as /dev/sdb, not /dev/sdb1)"
[ "$(cat "$sys/removable")" = 1 ] || die "$dev: not a removable disk; refusing to overwrite it"
# The disk or one of its partitions (the subdirectories of its sysfs directory
# that hold a `partition` file: sdb1, nvme0n1p1) mounted.
names=$name
for part in "$sys"/*/partition; do
    [ -e "$part" ] && names="$names $(basename "$(dirname "$part")")"
done
for n in $names; do
    if awk -v dev="/dev/$n" '$1 == dev { found = 1 } END { exit !found }' "$root/proc/mounts"; then
        die "$dev: /dev/$n is mounted; unmount it first"
    fi
done
[ "$check" = 0 ] || exit 0

[ $# -ge 2 ] || usage
image=$2
[ -f "$image" ] || die "$image: no such image (make iso builds it)"
bytes=$(( $(cat "$sys/size") * 512 ))
image_bytes=$(wc -c < "$image")
[ "$image_bytes" -le "$bytes" ] || die "$dev: $bytes bytes, too small for $image ($image_bytes bytes)"
model=$(cat "$sys/device/vendor" "$sys/device/model" 2>/dev/null | tr -s ' \n' ' ' | sed 's/ $//')
echo "$me: $dev: ${model:-unknown model}, $(( bytes / 1000000 )) MB ($bytes bytes)"
echo "$me: everything on $dev will be lost; $image ($image_bytes bytes) is written over it."
printf '%s' "$me: type yes to go on: "
answer=
read -r answer || true
[ "$answer" = yes ] || die "not written (the answer was not yes)"
dd if="$image" of="$dev" bs=4M conv=fsync status=progress
sync
echo "$me: done; $dev can be removed"
