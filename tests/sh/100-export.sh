# export passes variables to the environment of commands run later.
FOO=bar
env | grep '^FOO=' || echo "not exported yet"
export FOO
env | grep '^FOO='
export BAZ=qux
env | grep '^BAZ='
FOO=changed
env | grep '^FOO='
unset FOO
env | grep -c '^FOO=' || true
