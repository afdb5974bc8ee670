# Command substitution removes all trailing newlines, and only those.
x=$(printf 'a\n\n\n')
printf '[%s]\n' "$x"
y=$(printf '\n\nb\n')
printf '[%s]\n' "$y"
z=$(printf 'c\nd\n')
printf '[%s]\n' "$z"
w=$(printf '  spaced  ')
printf '[%s]\n' "$w"
