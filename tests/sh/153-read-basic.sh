# read splits a line into fields, the last variable taking the rest.
read a b c <<EOF
one two three four
EOF
echo "a=$a b=$b c=$c"
read x y <<EOF
single
EOF
echo "x=$x y=[$y]"
blanks='   leading and trailing   '
read line <<EOF
$blanks
EOF
echo "[$line]"
echo "status $?"
