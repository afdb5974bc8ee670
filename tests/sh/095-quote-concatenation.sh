# Quoted and unquoted parts join into one word.
x=mid
echo a'b'"c"d
echo pre"$x"post
echo 'one'"two"'three'
printf '[%s]' "a b"c' d'; echo
printf '[%s]' ""'' x; echo
