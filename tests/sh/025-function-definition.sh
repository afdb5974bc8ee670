# Functions: definition, call with arguments, positional parameters restored after.
greet() {
  echo "hello $1 ($# args)"
}
greet world
greet a b c
set -- outer1 outer2
show() { echo "inside: $*"; }
show x y
echo "after: $*"
oneliner() { echo one; echo two; }
oneliner
