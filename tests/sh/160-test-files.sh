# test with files: -e -f -d -s -r -w -x -h -L and friends.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
touch empty
echo data > full
mkdir dir
chmod 755 dir
printf '#!/bin/sh\n' > script
chmod 755 script
ln -s full link
mkfifo pipe
t() { if [ "$@" ]; then echo "$* : true"; else echo "$* : false"; fi; }
t -e empty
t -e missing
t -f full
t -f dir
t -d dir
t -d full
t -s full
t -s empty
t -r full
t -w full
t -x script
t -x full
t -h link
t -L full
t -p pipe
t -f link
