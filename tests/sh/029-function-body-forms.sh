# A function body is any compound command: a subshell body does not change the caller.
v=0
sub() ( v=1; cd /; echo "sub sees v=$v" )
sub
echo "caller v=$v"
grp() { v=2; }
grp
echo "caller v=$v"
loop() for i in a b; do echo "loop $i"; done
loop
cond() if [ "$1" = y ]; then echo yes; else echo no; fi
cond y
cond n
