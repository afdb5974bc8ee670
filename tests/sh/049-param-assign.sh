# ${x:=word} and ${x=word} assign the default as well.
unset a b
e=
echo "${a:=first}"
echo "a=$a"
echo "${b=second}"
echo "b=$b"
echo "[${e=not-assigned}]"
echo "[${e:=assigned}]"
echo "e=$e"
: ${c:=via-colon}
echo "c=$c"
