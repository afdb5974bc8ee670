# local variables are visible to called functions and restored on return.
n=0
outer() {
  local n=1
  inner
  echo "outer after inner: n=$n"
}
inner() {
  echo "inner sees n=$n"
  n=2
}
outer
echo "global: n=$n"
rec() {
  local depth=$1
  [ "$depth" -lt 3 ] && rec $((depth + 1))
  echo "depth $depth"
}
rec 1
