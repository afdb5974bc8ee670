# `command` is the older form of command substitution; \$ \` \\ are unescaped inside.
echo "value: `echo backquoted`"
x=`printf '%s' abc`
echo "$x"
echo `echo a; echo b`
echo "`echo 'single quotes inside'`"
echo `echo \$x`
printf '%s\n' `printf '%s' '\\'`
