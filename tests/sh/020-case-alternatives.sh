# case patterns separated by '|' and the optional leading '('.
for w in a b c d; do
  case $w in
    a | b) echo "$w: a or b" ;;
    (c) echo "$w: c with paren" ;;
    (d|e) echo "$w: d or e" ;;
  esac
done
