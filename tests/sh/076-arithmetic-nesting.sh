# Arithmetic nests with itself, parameters and command substitutions.
echo $(( $((1 + 2)) * 3 ))
echo $(( $(echo 4) + 1 ))
x=2
echo "$(( x * $(( x + 1 )) ))"
echo $(( (1 + 2) * (3 + 4) ))
echo "$((1+1))$((2+2))"
