# Redirections to descriptors 3 to 9 and an explicit 1> and 0<.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
exec 5> five
echo into-five >&5
exec 5>&-
cat five
echo explicit 1> one
cat one
printf 'zero\n' > z
cat 0< z
exec 9>&1
echo through-nine >&9
exec 9>&-
{ echo a >&7; } 7> seven
cat seven
