# trap without operands lists the traps in a reusable form.
trap 'echo bye' EXIT
trap 'echo usr1' USR1
trap
trap - EXIT USR1
trap
echo "cleared"
