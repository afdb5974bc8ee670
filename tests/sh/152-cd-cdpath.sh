# CDPATH: cd finds relative directories in it and prints the one chosen.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
mkdir -p base/target other
here=$(pwd)
cd other
CDPATH="$here/base"
out=$(cd target)
echo "printed: ${out#"$here"}"
cd target > /dev/null
echo "now in: ${PWD#"$here"}"
