# IFS empty disables splitting; IFS unset behaves like the default.
x='a b  c'
IFS=
printf '[%s]' $x; echo
unset IFS
printf '[%s]' $x; echo
IFS=' '
printf '[%s]' $x; echo
