# shift discards positional parameters from the front.
set -- a b c d e
shift
echo "$# $*"
shift 2
echo "$# $*"
shift 0
echo "$# $*"
(shift 5) 2>/dev/null
echo "shift too many fails: $([ $? -ne 0 ] && echo yes)"
shift 2
echo "$# [$*]"
f() { shift; echo "in f: $*"; }
set -- p q r
f x y z
echo "outside: $*"
