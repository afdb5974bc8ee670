# Pipelines: the standard output of each command feeds the next one's input.
echo hello | tr a-z A-Z
printf '3\n1\n2\n' | sort | head -n 2
echo one two three | tr ' ' '\n' | wc -l | tr -d ' '
