# Comments: '#' starting a word comments out the rest of the line; inside a word it is literal.
echo a # this is a comment
echo b#c
# a whole-line comment
echo 'd # e' "f # g"
   # an indented comment
echo h\#i
