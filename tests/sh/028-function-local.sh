# local (as dash has it) gives a function its own copy of a variable.
x=global
f() {
  local x
  x=local
  echo "in f: $x"
  g
}
g() { echo "in g: $x"; }
f
echo "after f: $x"
h() {
  local y=5 x
  echo "y=$y x=${x-unset}"
}
h
echo "y after h: ${y-unset}"
