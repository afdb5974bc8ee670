# Patterns produced by unquoted expansions are expanded after field splitting.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
touch foo.c bar.c baz.h
pat='*.c *.h'
echo $pat
echo "$pat"
set -- *.c
echo "$# c files: $*"
ext=h
echo *.$ext
