#!/bin/sh
# scripts/bochs.sh ISO DIR: `make bochs`. With a display ($DISPLAY), the guest's screen
# in a window (Bochs's X display, package bochs-x, installed here when missing) and
# COM1 logged to DIR/bochs-serial.log; without one, the serial console on this
# terminal (COM1 in Bochs's `term` mode on /dev/tty: typed keys reach the guest) and
# the screen served by Bochs's VNC display on port 5900 for whoever wants to look.
# Bochs's own messages go to DIR/bochs.log either way. Leave with `poweroff` in the
# guest, or Ctrl-C (Bochs stops). KESTREL_BOCHS_CPU picks Bochs's CPU model
# (`bochs --help cpu` lists them).
set -eu
iso=$(realpath "$1")
dir=$(realpath "$2")
root=$(cd "$(dirname "$0")/.." && pwd)
export KESTREL_ISO="$iso" KESTREL_BOCHS_LOG="$dir/bochs.log" KESTREL_BOCHS_CPU="${KESTREL_BOCHS_CPU:-bx_generic}"
if [ -n "${DISPLAY:-}" ]; then
    if [ ! -e /usr/lib/x86_64-linux-gnu/bochs/plugins/libbx_x_gui.so ]; then
        sudo=""
        [ "$(id -u)" = 0 ] || sudo=sudo
        echo "bochs: installing bochs-x for its window"
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends bochs-x >/dev/null
    fi
    export KESTREL_DISPLAY=x KESTREL_DISPLAY_OPTIONS=hideIPS KESTREL_SERIAL_MODE=file KESTREL_SERIAL="$dir/bochs-serial.log"
    echo "bochs: the screen is in a window; serial output goes to $KESTREL_SERIAL"
else
    export KESTREL_DISPLAY=rfb KESTREL_DISPLAY_OPTIONS=timeout=0 KESTREL_SERIAL_MODE=term KESTREL_SERIAL=/dev/tty
    echo "bochs: the serial console is this terminal (the screen: VNC on localhost:5900); Bochs's log: $KESTREL_BOCHS_LOG"
fi
# Bochs prints its plugin list before it reads the log setting: keep that off the terminal.
exec bochs -q -f "$root/scripts/bochsrc" -rc "$root/scripts/bochs-continue.rc" 2>>"$KESTREL_BOCHS_LOG" >&2
