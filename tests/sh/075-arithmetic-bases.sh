# Integer constants: decimal, octal (leading 0) and hexadecimal (0x).
echo $((010))
echo $((0x1f))
echo $((0X10))
echo $((0xff + 010 + 10))
x=0x20
echo $((x))
