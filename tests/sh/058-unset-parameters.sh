# An unset parameter expands to nothing; unquoted, it yields no field.
unset nothing
echo "[$nothing]"
printf '[%s]' a $nothing b; echo
printf '[%s]' a "$nothing" b; echo
count() { echo $#; }
count $nothing $nothing
count "$nothing"
