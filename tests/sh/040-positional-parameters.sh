# Positional parameters $1..$9, ${10} and beyond, and $#.
set -- a b c d e f g h i j k
echo "$# params"
echo "$1 $2 $9"
echo "${10} ${11}"
echo "$10"
set -- "one two" three
echo "$#: $1 / $2"
set --
echo "none: $#"
