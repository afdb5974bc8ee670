# set -u: expanding an unset parameter is an error.
set -u
x=set
echo "x=$x"
echo "default: ${unset_var-fallback}"
echo "alt: [${unset_var+alt}]"
(echo "$unset_var"; echo never) 2>/dev/null
echo "unset fails: $([ $? -ne 0 ] && echo yes)"
echo "count: $#"
set +u
echo "off: [$unset_var]"
