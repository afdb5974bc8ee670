#!/bin/sh
# scripts/deb-closure.sh PKG...: the Debian packages a system needs to run PKG...,
# one name a line: PKG... and, recursively, what they Depend or Pre-Depend on
# (`apt-cache depends` of the host's apt sources; no Recommends or Suggests).
# From a group of alternatives (`a | b`) the first is taken unless another is
# already chosen; a virtual package stands for the packages that provide it.
# Packages marked Essential are left out unless named: every Debian system has
# them, so a dependency on one (dash's on dpkg and debianutils, grep's on dpkg)
# is there for the maintainer scripts, which Kestrel does not run, and says
# nothing about what a program needs at run time (packages need not even declare
# it). scripts/debian-root.sh checks that every shared library the programs
# need is in the result, so a package wrongly left out is an error, not a
# program that fails to start.
set -eu
[ $# -gt 0 ] || exit 0
"$(dirname "$0")/apt-lists.sh" "$@"

chosen=" $* "
frontier="$*"
left_out=" "
while [ -n "$frontier" ]; do
    # Each dependency of the frontier as one line: its alternatives, a virtual
    # one replaced by its providers.
    groups=$(apt-cache depends --no-recommends --no-suggests --no-conflicts --no-breaks \
        --no-replaces --no-enhances $frontier | awk '
        function flush() { if (group != "") print group; group = "" }
        /^[^ ]/ { flush(); open = 0; next }
        /^    / { group = group " " $1; next }
        {
            if (!open) flush()
            open = substr($0, 2, 1) == "|"
            name = $2
            sub(/:.*/, "", name)
            if (name !~ /^</) group = group " " name
        }
        END { flush() }')
    names=$(printf '%s\n' "$groups" | tr ' ' '\n' | sort -u)
    essential=$(apt-cache show --no-all-versions $names 2>/dev/null |
        awk '/^Package:/ { p = $2 } /^Essential: yes/ { print p }' | tr '\n' ' ')
    decided=$(printf '%s\n' "$groups" | awk -v chosen="$chosen" -v essential=" $essential " '
        function has(set, name) { return index(set, " " name " ") > 0 }
        NF == 0 { next }
        {
            for (i = 1; i <= NF; i++) if (has(chosen, $i)) next
            for (i = 1; i <= NF; i++) if (has(essential, $i)) { print "essential", $i; next }
            print "take", $1
            chosen = chosen $1 " "
        }')
    frontier=$(printf '%s\n' "$decided" | awk '$1 == "take" { print $2 }' | tr '\n' ' ')
    for pkg in $(printf '%s\n' "$decided" | awk '$1 == "essential" { print $2 }'); do
        case $left_out in *" $pkg "*) ;; *) left_out="$left_out$pkg " ;; esac
    done
    chosen="$chosen$frontier "
    frontier=${frontier% }
done
[ "$left_out" = " " ] || echo "deb-closure: left out (Essential):$left_out" >&2
printf '%s\n' $chosen
