# tests/checks.sh: sourced by the differential scripts (tests/differential/busybox.sh,
# tests/debian/tools.sh), on the host and in the image (/usr/share/tests/checks.sh).
# `check NAME CODE` runs CODE in a subshell, its errors in its output, and prints
# each line of that output as `check NN NAME: LINE` (NN counting the checks), then
# `[exit N]` for a failing status; two runs compare line by line
# (src/lib.rs, kestrel::checks).
n=0
# check NAME CODE: run CODE (in a subshell, errors to its output) and print it.
check() {
    n=$((n + 1))
    rc=0
    out=$(
        set +e
        eval "$2" 2>&1
    ) || rc=$?
    [ "$rc" = 0 ] || out="$out
[exit $rc]"
    while IFS= read -r line; do
        printf 'check %02d %s: %s\n' "$n" "$1" "$line"
    done <<EOF
$out
EOF
}
