# for without 'in' iterates over the positional parameters.
set -- one "two three" four
for arg; do echo "[$arg]"; done
for arg
do
  echo "<$arg>"
done
f() { for a; do echo "f: $a"; done; }
f x y
