# ${#x} is the length of the value.
x=hello
echo ${#x}
e=
echo ${#e}
unset u
echo ${#u}
s='a b  c'
echo ${#s}
set -- 1 2 3
echo ${#}
n=1234567890
echo ${#n}
