# A pattern that matches nothing is left unchanged.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
echo *.none
echo no?such
echo [x]yz
touch real
echo *.none real*
