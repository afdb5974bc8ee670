# Variables in arithmetic: by name or by $, unset as 0, assignment results.
a=6 b=7
echo $((a * b))
echo $(($a * $b))
unset u
echo $((u + 1))
e=
echo $((${e:-0} + 2))
i=0
i=$((i + 1)); i=$((i + 1))
echo "i=$i"
n=3
echo $((n * (n + 1) / 2))
set -- 4 5
echo $(($1 + $2))
