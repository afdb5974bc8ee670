# A non-blank IFS character delimits every field, empty fields included.
IFS=:
x='a::b:c:'
printf '[%s]' $x; echo
y=':lead'
printf '[%s]' $y; echo
IFS=,
z='1,2 3,4'
printf '[%s]' $z; echo
set -- $z
echo "$# fields"
