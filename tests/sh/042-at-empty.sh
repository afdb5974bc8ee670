# "$@" with no positional parameters expands to no fields at all.
set --
printf '[%s]' x "$@" y; echo
count() { echo $#; }
count "$@"
count "$*"
count $@
for a in "$@"; do echo never; done
echo "${1-unset}"
set -- ''
count "$@"
count $@
