# cd without an operand goes to HOME; pwd -L prints the logical path.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
mkdir home
here=$(pwd)
HOME=$here/home
cd
echo "${PWD#"$here"}"
echo "$(pwd -L | sed "s|^$here||")"
