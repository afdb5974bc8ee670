# test with strings: -n, -z, =, != and a lone operand.
t() { if test "$@"; then echo "true"; else echo "false"; fi; }
t -n abc
t -n ""
t -z ""
t -z abc
t abc = abc
t abc = abd
t abc != abd
t ""
t nonempty
t
t -n
t = =
