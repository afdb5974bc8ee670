# An unquoted backslash quotes the next character.
printf '%s\n' \$HOME \"q\" \'s\' \\
printf '[%s]\n' a\ b\ \ c
echo \*\?\[
echo \|\&\;\<\>\(\)
echo x\
y
