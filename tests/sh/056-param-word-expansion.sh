# The word in ${x:-word} is expanded: parameters, substitutions, arithmetic, quotes.
unset u
d=default
echo "${u:-$d}"
echo "${u:-$(echo from-subst)}"
echo "${u:-$((2 + 3))}"
printf '[%s]' ${u:-a b c}; echo
printf '[%s]' "${u:-a b c}"; echo
printf '[%s]' ${u:-"a b" c}; echo
echo "${u:-'single'}"
echo ${u:-'single'}
echo "${u:-~}" | grep -c '~'
