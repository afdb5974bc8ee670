# Arithmetic errors (division by zero, bad syntax) fail the expansion.
(echo $((1 / 0))) 2>/dev/null
[ $? -ne 0 ] && echo "division by zero fails"
(echo $((5 % 0))) 2>/dev/null
[ $? -ne 0 ] && echo "modulo by zero fails"
(echo $((1 +))) 2>/dev/null
[ $? -ne 0 ] && echo "syntax error fails"
echo "still running"
