# Pathname expansion: '*', '?' and bracket expressions, results sorted.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
touch apple banana cherry a1 a2 b10
echo *
echo a*
echo ?1
echo [ab]*
echo [!ab]*
echo *[0-9]
echo a[12]
