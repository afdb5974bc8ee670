# A pipeline's exit status is the status of its last command.
false | true
echo "false|true: $?"
true | false
echo "true|false: $?"
true | (exit 7)
echo "exit 7 last: $?"
(exit 3) | cat
echo "exit 3 first: $?"
