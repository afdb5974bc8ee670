# set -f turns pathname expansion off.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
touch one two
echo *
set -f
echo *
x='o*'
echo $x
set +f
echo $x
