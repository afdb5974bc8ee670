# "$@" keeps each parameter a field; "$*" joins them with IFS's first character.
set -- 'a b' c '' d
printf '[%s]' "$@"; echo
printf '[%s]' "$*"; echo
printf '[%s]' $@; echo
printf '[%s]' $*; echo
IFS=:
printf '[%s]' "$*"; echo
IFS=
printf '[%s]' "$*"; echo
unset IFS
printf '[%s]' "$*"; echo
