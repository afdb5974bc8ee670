# break n and continue n act on the n-th enclosing loop.
for a in 1 2 3; do
  for b in x y z; do
    [ $b = y ] && continue 2
    echo "$a$b"
  done
  echo never
done
for a in 1 2; do
  for b in x y; do
    for c in p q; do
      echo "$a$b$c"
      break 3
    done
  done
done
echo "after break 3"
for a in 1 2; do
  while true; do
    break 2
  done
done
echo "a=$a"
