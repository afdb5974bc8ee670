# Assignments before special builtins stay in the shell's environment.
x=before
x=after :
echo "x=$x"
unset y
y=set eval 'echo "eval sees y=$y"'
echo "y=$y"
