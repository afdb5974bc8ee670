# Backquoted substitution inside double quotes: \" and \` and nested levels.
echo "`echo \"quoted inside\"`"
echo "`echo 'a  b'`"
x=`echo \`echo level2\``
echo "$x"
y="`printf '%s' \"\\\$HOME\"`"
printf '%s\n' "$y"
