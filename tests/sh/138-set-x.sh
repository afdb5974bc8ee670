# set -x traces commands to standard error, prefixed by PS4.
exec 3>&2
exec 2>trace.$$
set -x
echo traced
x=1
set +x
exec 2>&3 3>&-
echo "lines with echo: $(grep -c 'echo traced' trace.$$)"
echo "assignment traced: $(grep -c 'x=1' trace.$$)"
echo "starts with +: $(grep -c '^+' trace.$$)"
rm -f trace.$$
