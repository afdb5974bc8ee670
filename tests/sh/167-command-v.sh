# command -v tells how a name would be run, failing when it is not found.
f() { :; }
command -v cd
command -v f
command -v if
alias ll='ls -l'
command -v ll
p=$(command -v cat)
case $p in /*) [ -x "$p" ] && echo "cat is an executable path" ;; esac
command -v no_such_command_xyz
[ $? -ne 0 ] && echo "not found: nonzero"
