# export -p prints commands that restore the exported variables.
export V1='a b' V2="it's"
saved=$(export -p)
unset V1 V2
eval "$saved"
echo "V1=$V1 V2=$V2"
env | grep '^V[12]=' | sort
export -p | grep -c 'V1'
