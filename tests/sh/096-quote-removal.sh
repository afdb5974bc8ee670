# Quote removal: the quotes themselves never reach the command.
count() { echo $#; }
count '' ""
count "" a ''
printf '[%s]' 'a'"b" "'" '"'; echo
printf '[%s]' \'; echo
set -- "$(printf '%s' '"quoted"')"
echo "$1"
