# $$ is the shell's process id, also inside subshells and command substitutions.
me=$$
case $me in ''|*[!0-9]*) echo "not a number" ;; *) echo "a number" ;; esac
(
  if [ "$$" = "$me" ]; then echo "subshell: same"; else echo "subshell: differs"; fi
)
inner=$(echo $$)
[ "$inner" = "$me" ] && echo "substitution: same"
echo $$ | { read p; [ "$p" = "$me" ] && echo "pipeline: same"; }
