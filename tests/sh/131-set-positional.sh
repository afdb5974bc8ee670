# set with operands (and --) replaces the positional parameters.
set -- a b c
echo "$# $*"
set x y
echo "$# $*"
set -- -v -x
echo "$# $*"
set --
echo "$# [$*]"
set -- "$(echo one two)" three
echo "$#: $1"
