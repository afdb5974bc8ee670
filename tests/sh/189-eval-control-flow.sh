# eval can run break, continue and return in the enclosing loop or function.
for i in 1 2 3 4; do
  [ $i -eq 2 ] && eval continue
  [ $i -eq 4 ] && eval 'break'
  echo "i=$i"
done
f() {
  eval 'return 6'
  echo never
}
f
echo "f returned $?"
eval 'g() { echo "defined by eval"; }'
g
