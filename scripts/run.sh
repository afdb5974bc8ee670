#!/bin/sh
# scripts/run.sh ISO ARGS-DISK [QEMU OPTION]...: `make run` (and run-uefi, debug).
# Boots ISO in QEMU with the argument disk (scripts/args-disk.sh) and the serial
# console on this terminal: QEMU's stdio character device with signals off, so
# Ctrl-C, Ctrl-Z and Ctrl-\ reach the guest's foreground job instead of stopping
# QEMU; multiplexed with QEMU's monitor: Ctrl-A x leaves QEMU, Ctrl-A c switches
# to the monitor and back, Ctrl-A h lists the rest. The exit status is 0 when the
# guest powers off or a test program reports success through isa-debug-exit (33),
# and QEMU's own otherwise (35 for a reported failure).
set -u
iso=$1 disk=$2
shift 2
qemu-system-x86_64 -m "${MEM:-256M}" -no-reboot -boot d \
    -chardev stdio,id=console,mux=on,signal=off -serial chardev:console -mon chardev=console \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -drive "file=$iso,media=cdrom,readonly=on,if=ide,index=0" \
    -drive "file=$disk,format=raw,if=ide,index=1" "$@"
status=$?
[ "$status" -eq 33 ] && status=0
exit "$status"
