# Descriptors opened by exec stay open for functions and subshells.
exec 3>&1
f() { echo "from f via 3" >&3; }
f
(echo "from subshell via 3" >&3)
x=$(echo "to the real stdout via 3" >&3)
echo "captured: [$x]"
exec 3>&-
(echo "after close" >&3) 2>/dev/null || echo "closed for everyone"
