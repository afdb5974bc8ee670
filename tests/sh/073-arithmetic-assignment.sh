# Assignment operators inside $(( )) change the variable.
x=10
echo $((x = 3)) "x=$x"
echo $((x += 4)) "x=$x"
echo $((x -= 2)) "x=$x"
echo $((x *= 3)) "x=$x"
echo $((x /= 2)) "x=$x"
echo $((x %= 4)) "x=$x"
echo $((x <<= 3)) "x=$x"
echo $((x >>= 1)) "x=$x"
echo $((x &= 6)) "x=$x"
echo $((x |= 9)) "x=$x"
echo $((x ^= 3)) "x=$x"
: $((y = 7))
echo "y=$y"
