# readonly variables cannot be assigned or unset.
readonly R=fixed
echo "R=$R"
(R=changed) 2>/dev/null
echo "assignment fails: $([ $? -ne 0 ] && echo yes)"
(unset R) 2>/dev/null
echo "unset fails: $([ $? -ne 0 ] && echo yes)"
x=1
readonly x
(x=2; echo never) 2>/dev/null
echo "x=$x"
saved=$(readonly -p)
case $saved in *R=*) echo "readonly -p lists R" ;; esac
