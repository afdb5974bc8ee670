# Several here-documents on one line are read in order.
cat <<A; cat <<B
from A
A
from B
B
cat <<ONE 3<<TWO
input one
ONE
input three
TWO
while read x <&3; do echo "fd3: $x"; done 3<<DATA
p
q
DATA
paste_like() { read a; read b <&4; echo "$a $b"; }
paste_like <<L 4<<R
left
L
right
R
