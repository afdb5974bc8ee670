# Patterns in several path components, and a trailing '/' matching directories only.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
mkdir -p x/one x/two y/one
touch x/one/f x/two/g y/one/h file
echo */
echo */one
echo */*/?
echo x/*/f
for f in */*; do echo "entry $f"; done
