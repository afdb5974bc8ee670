# printf reuses its format for extra arguments and takes missing ones as empty or zero.
printf '%s\n' a b c
printf '%s=%s\n' k1 v1 k2 v2 k3
printf '[%s][%d]\n' only
printf 'no conversions\n' extra args
printf '%d\n' 1 2 3 | wc -l | tr -d ' '
(printf '%d\n' notanumber) 2>/dev/null
echo "bad number: $([ $? -ne 0 ] && echo nonzero)"
