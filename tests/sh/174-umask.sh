# umask sets and shows the file creation mask.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
umask 022
umask
umask -S
touch a
ls -l a | cut -c1-10
umask 077
umask
umask -S
touch b
ls -l b | cut -c1-10
umask u=rwx,g=rx,o=
umask
