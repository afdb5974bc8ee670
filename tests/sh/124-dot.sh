# The '.' builtin runs a file in the current shell environment.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
cat > lib.sh <<'EOF'
libvar=from-lib
libfunc() { echo "libfunc called with $1"; }
echo "sourcing, \$# is $#"
EOF
set -- a b
. ./lib.sh
echo "libvar=$libvar"
libfunc arg
echo 'return 5; echo not reached' > ret.sh
. ./ret.sh
echo "returned $?"
echo 'false' > last.sh
. ./last.sh
echo "last status $?"
