# set -C refuses to overwrite an existing file with '>'; '>|' overrides it.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
echo original > f
set -C
(echo replaced > f) 2>/dev/null
[ $? -ne 0 ] && echo "overwrite refused"
cat f
echo forced >| f
cat f
echo new > fresh
cat fresh
echo more >> f
cat f
set +C
echo allowed > f
cat f
