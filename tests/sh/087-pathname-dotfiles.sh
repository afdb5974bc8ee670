# A leading '.' must be matched explicitly; '/' is never matched by a pattern.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
touch .hidden visible .another
echo *
echo .h*
echo .[a-z]*
mkdir d
touch d/inner
echo d*inner
echo d/*
