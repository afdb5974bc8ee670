# AND and OR lists: '&&' runs the right side after success, '||' after failure.
true && echo and-true
false && echo and-false
true || echo or-true
false || echo or-false
false && echo never
echo "status $?"
true || echo never
echo "status $?"
