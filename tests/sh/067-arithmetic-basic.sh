# $((expression)): + - * / % on integers.
echo $((1 + 2))
echo $((10 - 4))
echo $((6 * 7))
echo $((17 / 5))
echo $((17 % 5))
echo $(( 2+3 ))
echo $((-5 + 2))
echo $((1000000 * 1000000))
