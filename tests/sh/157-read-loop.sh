# while read processes input line by line.
printf 'alpha 1\nbeta 2\ngamma 3\n' | while read name num; do
  echo "$num:$name"
done
total=0
while read n; do
  total=$((total + n))
done <<EOF
10
20
30
EOF
echo "total=$total"
