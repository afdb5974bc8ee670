# Appending redirection '>>' adds to the end of the file, creating it if needed.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
echo one >> log
echo two >> log
echo three>>log
cat log
wc -l < log | tr -d ' '
