# An unquoted here-document delimiter: parameters, substitutions and arithmetic expand.
name=world
cat <<EOF
hello $name
braced ${name}s
subst $(echo inner)
backquote `echo bq`
arith $((6 * 7))
quotes stay: 'single' "double"
glob stays: *
EOF
