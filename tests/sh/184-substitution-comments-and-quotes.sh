# Inside $( ), comments, quotes and parentheses are parsed as shell input.
x=$(echo a # a comment with a ) parenthesis
)
echo "$x"
y=$(echo "(" ')' \))
echo "$y"
z=$(echo 'single ) quote'; echo "double ) quote")
echo "$z"
w=$( (echo grouped) )
echo "$w"
