# Bitwise operators and shifts.
echo $((12 & 10)) $((12 | 10)) $((12 ^ 10))
echo $((1 << 4)) $((256 >> 3))
echo $((1 << 40))
echo $((~0 & 255))
echo $((5 & 3 | 8))
echo $((-16 >> 2))
