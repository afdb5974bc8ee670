# ${x%pattern} removes the shortest suffix, ${x%%pattern} the longest.
f=archive.tar.gz
echo "${f%.*}"
echo "${f%%.*}"
echo "${f%.gz}"
echo "${f%nomatch}"
p=/usr/local/bin/
echo "${p%/}"
echo "${p%/*/}"
echo "${p%%/*}"
x=aaa
echo "[${x%a}] [${x%%a*}]"
