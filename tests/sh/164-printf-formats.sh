# printf conversions: %s %d %i %u %x %X %o %c %%, widths, precision and flags.
printf '%s|%d|%i|%u\n' str 42 -7 3
printf '%x %X %o\n' 255 255 8
printf '%c%c\n' abc d
printf '100%%\n'
printf '[%5s][%-5s][%.2s]\n' ab ab abcdef
printf '[%5d][%-5d][%05d][%+d]\n' 42 42 42 42
printf '[%.3d][%#x][%#o]\n' 7 255 8
printf '%d\n' "'A"
printf '%s\n'
printf '%d %s\n'
