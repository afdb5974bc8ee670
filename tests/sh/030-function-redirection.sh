# Redirections on a function definition apply each time it runs.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
log() { echo "$1"; } >> log.txt
log first
log second
cat log.txt
shout() { tr a-z A-Z; } < log.txt
shout
