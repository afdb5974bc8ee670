# The conditional operator ?: and its nesting.
echo $((1 ? 10 : 20))
echo $((0 ? 10 : 20))
x=5
echo $((x > 3 ? x * 2 : x))
echo $((x > 9 ? 1 : x > 4 ? 2 : 3))
