# set -e is ignored in conditions, '&&'/'||' lists except the last, and after '!'.
set -e
if false; then :; fi
echo "if condition"
while false; do :; done
echo "while condition"
until true; do :; done
echo "until condition"
false && echo never
echo "and list"
false || echo "or list"
! true
echo "negated"
true && false || echo "recovered"
x=$(false) || echo "substitution in or"
echo end
