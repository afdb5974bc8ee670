# Double quotes: $, ` and \ keep their meaning; other characters are literal.
x=val
echo "x is $x, ${x}s"
echo "cmd: $(echo sub) `echo bq`"
echo "arith: $((1 + 1))"
printf '%s\n' "escaped: \$x \` \" \\"
printf '%s\n' "kept: \a \n \' '"
echo "* ? [a] ~ # | & ; < > ( )"
echo "tab	and  spaces"
