# type describes how a name would be interpreted: builtin, function, keyword, path, not found.
f() { :; }
case $(type cd) in cd*builtin*) echo "cd: builtin" ;; esac
case $(type f) in f*function*) echo "f: function" ;; esac
case $(type if) in if*keyword*) echo "if: keyword" ;; esac
case $(type cat) in "cat is /"*) echo "cat: a path" ;; esac
type no_such_command_xyz > /dev/null 2>&1
[ $? -ne 0 ] && echo "not found: nonzero"
