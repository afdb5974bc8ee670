# Exit statuses: true, false, exit n, and the script's own status.
true; echo "true: $?"
false; echo "false: $?"
(exit 0); echo "exit 0: $?"
(exit 42); echo "exit 42: $?"
(exit 255); echo "exit 255: $?"
(false; exit); echo "exit without operand: $?"
exit 3
