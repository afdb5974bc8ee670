# set -o name and set +o name, the long forms of the options.
set -o noglob
case $- in *f*) echo "noglob sets f" ;; esac
set +o noglob
case $- in *f*) ;; *) echo "unset again" ;; esac
set -o errexit
case $- in *e*) echo "errexit sets e" ;; esac
set +o errexit
set -o nounset
case $- in *u*) echo "nounset sets u" ;; esac
set +o nounset
saved=$(set +o)
set -f
eval "$saved"
case $- in *f*) echo "not restored" ;; *) echo "set +o restores" ;; esac
