# Simple commands: a command name and its arguments, separated by blanks.
echo hello world
echo   several    blanks   between
printf '%s\n' one two
