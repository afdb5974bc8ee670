# eval joins its arguments and runs the result as shell input.
eval echo hello
cmd='echo from variable'
eval "$cmd"
name=dynamic
eval "$name=value"
echo "dynamic=$dynamic"
eval 'for i in 1 2; do echo "i=$i"; done'
x='$y'
y=indirect
eval echo "$x"
eval 'a=1; b=2'
echo "$a $b"
eval '(exit 4)'
echo "status $?"
eval ''
echo "empty: $?"
