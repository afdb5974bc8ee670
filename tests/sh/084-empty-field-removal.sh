# Unquoted empty expansions vanish; quoted ones stay as empty fields.
e=
count() { echo $#; }
count $e
count "$e"
count '' ""
count $e$e
count "$e$e"
count $(true)
count "$(true)"
count ${e:-}
printf '[%s]' a "$e" b $e c; echo
