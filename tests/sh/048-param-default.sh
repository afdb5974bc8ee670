# ${x:-word} and ${x-word}: a default for unset (and, with ':', empty) parameters.
unset u
e=
s=set
echo "${u:-d1} ${u-d2}"
echo "[${e:-d3}] [${e-d4}]"
echo "${s:-d5} ${s-d6}"
echo "${u-}" "[${u:-}]"
echo "u still ${u-unset}"
echo "${u:-two words}"
