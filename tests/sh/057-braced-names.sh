# Braces delimit a parameter name; without them the longest valid name is taken.
var=value
var_x=other
echo "$var_x"
echo "${var}_x"
echo "$var.x"
echo "${var}x"
a1=one
echo "$a1" "${a}1"
set -- p1
echo "$1x"
