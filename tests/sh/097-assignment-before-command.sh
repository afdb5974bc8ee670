# Assignments before a command are in its environment only.
x=outer
x=temp env | grep '^x='
echo "after: $x"
unset y
y=one env | grep '^y='
echo "y: ${y-unset}"
a=1 b=2 env | grep '^[ab]=' | sort
