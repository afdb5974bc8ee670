# Assignment-only commands: left to right, no field splitting or globbing of values.
a=1 b=$a
echo "b=$b"
v='x   y *'
w=$v
echo "$w"
z=$(echo 'p  q')
echo "$z"
true
n=
echo "status $?"
