# Asynchronous lists: '&' runs a command in the background; wait collects it.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
echo background > out &
wait
cat out
(exit 4) &
wait $!
echo "waited status $?"
echo a > a & echo b > b & wait
cat a b
