# ${x:?word} and ${x?word}: an error (and exit of a non-interactive shell) when unset.
unset u
e=
(echo "${u:?is unset}"; echo not reached) 2>/dev/null
[ $? -ne 0 ] && echo "unset: failed"
(echo "${e:?is empty}") 2>/dev/null
[ $? -ne 0 ] && echo "empty with colon: failed"
(echo "[${e?not an error}]")
echo "empty without colon: $?"
s=ok
echo "${s:?never}"
msg=$( (: ${u?custom message}) 2>&1 )
case $msg in *"custom message"*) echo "message shown" ;; esac
