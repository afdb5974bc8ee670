# IFS mixing blanks and others: blanks around a delimiter are part of it.
IFS=' :'
x='a : b:c  d'
printf '[%s]' $x; echo
y=' :a'
printf '[%s]' $y; echo
IFS=' 	
-'
z='one - two--three'
printf '[%s]' $z; echo
