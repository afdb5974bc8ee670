# A command that is not found has status 127; one that cannot run has 126.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
no_such_command_xyz 2>/dev/null
echo "not found: $?"
./no_such_file 2>/dev/null
echo "no such path: $?"
echo 'echo hi' > plain
chmod 644 plain
./plain 2>/dev/null
echo "not executable: $?"
mkdir dir
./dir 2>/dev/null
echo "directory: $?"
no_such_command_xyz 2>/dev/null | cat
echo "in pipeline: $?"
