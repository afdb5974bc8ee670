# Default IFS: runs of blanks and newlines separate fields; edges are trimmed.
x='  a   b
c	d  '
printf '[%s]' $x; echo
count() { echo $#; }
count $x
y='   '
count $y
printf '[%s]' "$x" | tr '\n\t' 'NT'; echo
