# Special parameters in braces: ${#} ${?} ${@} ${*} ${-}.
set -- one two three
false
echo "${#} ${?}"
printf '[%s]' "${@}"; echo
echo "${*}"
case ${-} in *f*) echo "f in \$-" ;; *) echo "no f in \$-" ;; esac
echo "${1}${2}"
