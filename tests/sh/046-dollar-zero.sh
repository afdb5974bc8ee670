# $0 is the script's name as it was invoked.
echo "${0##*/}"
f() { echo "in function: ${0##*/}"; }
f
(echo "in subshell: ${0##*/}")
