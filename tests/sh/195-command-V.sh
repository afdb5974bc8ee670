# command -V describes names as type does.
f() { :; }
case $(command -V cd) in cd*builtin*) echo "cd: builtin" ;; esac
case $(command -V f) in f*function*) echo "f: function" ;; esac
case $(command -V while) in while*keyword*) echo "while: keyword" ;; esac
case $(command -V cat) in cat*/cat) echo "cat: a path" ;; esac
command -V no_such_command_xyz > /dev/null 2>&1
[ $? -ne 0 ] && echo "not found: nonzero"
