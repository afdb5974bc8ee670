# An EXIT trap does not change the status passed to exit.
trap 'echo "in trap: $?"; true' EXIT
echo "exiting with 5"
exit 5
