# cd changes the working directory; pwd and PWD follow it; cd - returns.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
mkdir -p a/b
here=$(pwd)
cd a
echo "${PWD#"$here"}"
cd b
pwd | sed "s|^$here||"
cd ..
echo "${PWD#"$here"}"
cd - > /dev/null
echo "back: ${PWD#"$here"}"
echo "OLDPWD: ${OLDPWD#"$here"}"
cd "$here"
cd no-such-dir 2>/dev/null
[ $? -ne 0 ] && echo "failed cd: nonzero"
echo "${PWD#"$here"}."
