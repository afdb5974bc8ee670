# "$@" inside a word: the prefix joins the first field and the suffix the last.
set -- a b c
printf '[%s]' "x$@y"; echo
printf '[%s]' "x${@}y"; echo
set -- single
printf '[%s]' "<$@>"; echo
set --
printf '[%s]' "x$@y"; echo
set -- 'a b' c
printf '[%s]' "pre-$*"; echo
