# Only results of unquoted expansions are split, never literal text.
IFS=:
echo a:b
x='1:2'
printf '[%s]' $x "$x" a:$x; echo
printf '[%s]' $(echo p:q) "$(echo p:q)"; echo
printf '[%s]' $((12)):3; echo
IFS=2
printf '[%s]' $((121)); echo
