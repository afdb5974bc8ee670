# $- holds the current option letters.
has() { case $- in *"$1"*) echo "$1 on" ;; *) echo "$1 off" ;; esac; }
has f
set -f
has f
set +f
has f
set -u
has u
set +u
has u
set -e
has e
set +e
has e
