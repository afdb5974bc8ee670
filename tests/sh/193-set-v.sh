# set -v writes each line of input to standard error as it is read.
exec 3>&2 2>verbose.$$
set -v
echo shown
x=1
set +v
exec 2>&3 3>&-
echo "echo line: $(grep -c '^echo shown$' verbose.$$)"
echo "assignment line: $(grep -c '^x=1$' verbose.$$)"
rm -f verbose.$$
