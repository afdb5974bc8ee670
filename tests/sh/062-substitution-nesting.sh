# Command substitutions nest: $( $( ) ), quotes inside, and escaped backquotes.
echo $(echo $(echo $(echo deep)))
echo "$(echo "$(echo "a  b")")"
echo `echo \`echo inner\``
echo "$(echo `echo mixed`)"
x=$(echo "quoted ) paren")
echo "$x"
echo $(echo '$(not a substitution)')
