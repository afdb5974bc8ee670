# Quoted or escaped pattern characters are not expanded.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
touch a b
echo "*" '*' \*
x='*'
echo "$x"
echo $x
echo "a"*
echo [a]
echo "[a]"
