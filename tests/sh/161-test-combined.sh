# test with !, -a, -o and parentheses.
t() { if [ "$@" ]; then echo "$* : true"; else echo "$* : false"; fi; }
t ! -n ""
t ! abc
t -n a -a -n b
t -n a -a -z b
t -z a -o -n b
t -z a -o -z b
t \( a = a \)
t ! \( 1 -eq 2 \)
[ -n a ] && [ -z "" ] && echo "chained with &&"
