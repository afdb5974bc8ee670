# cd -L (default) keeps symbolic links in PWD; cd -P and pwd -P resolve them.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
mkdir real
ln -s real link
here=$(pwd -P)
cd link
echo "logical: ${PWD#"$here"}"
echo "pwd -P: $(pwd -P | sed "s|^$here||")"
cd ..
cd -P link
echo "physical: ${PWD#"$here"}"
cd "$here"
cd -L link/..
echo "-L then ..: ${PWD#"$here"}."
