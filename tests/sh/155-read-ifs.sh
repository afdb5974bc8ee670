# read splits with IFS; IFS given on the command line applies only to read.
IFS=: read user pass uid rest <<EOF
root:x:0:0:root:/root:/bin/sh
EOF
echo "user=$user uid=$uid rest=$rest"
echo "IFS is default again: $(printf '%s' "$IFS" | wc -c | tr -d ' ')"
blanks='   keep blanks   '
IFS= read -r raw <<EOF
$blanks
EOF
echo "[$raw]"
IFS=, read a b <<EOF
x,,y
EOF
echo "a=$a b=$b"
