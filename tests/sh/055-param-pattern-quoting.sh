# In ${x#pattern}, quoted pattern characters are literal.
x='*star*'
echo "${x#"*"}"
echo "${x#*}"
echo "${x#\*}"
p='*'
echo "${x#$p}"
echo "${x#"$p"}"
y=a.b.c
echo "${y%".c"}" "${y%'.'*}"
