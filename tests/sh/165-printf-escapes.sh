# printf escapes in the format and %b in arguments.
printf 'tab:\tnewline:\n'
printf 'backslash:\\ octal:\101\102\n'
printf '%b\n' 'b-escapes:\tx\\y'
printf '%b\n' 'octal \0101'
printf '%s\n' 'no escapes in %s: \t'
printf '%b' 'stop\cignored'; echo
printf 'x\0y' | wc -c | tr -d ' '
