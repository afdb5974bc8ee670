# ${x:+word} and ${x+word}: the alternative when set (and, with ':', non-empty).
unset u
e=
s=val
echo "[${u:+alt}] [${u+alt}]"
echo "[${e:+alt}] [${e+alt}]"
echo "[${s:+alt}] [${s+alt}]"
echo "[${s:+$s-$s}]"
set -- a
echo "[${1+one is set}] [${2+two is set}]"
