# ${x#pattern} removes the shortest prefix, ${x##pattern} the longest.
p=/usr/local/bin/sh
echo "${p#*/}"
echo "${p##*/}"
echo "${p#/usr}"
echo "${p#nomatch}"
x=aaa
echo "[${x#a}] [${x##a*}]"
v=abcabc
echo "${v#?b}" "${v##*[b]}" "${v#[!a]}"
