# case patterns: '*', '?', bracket expressions, ranges and negation.
for w in abc a1 b xyz Z 9 .hidden; do
  case $w in
    a?c) echo "$w: a?c" ;;
    a[0-9]) echo "$w: a digit" ;;
    [bc]) echo "$w: b or c" ;;
    [!a-z]) echo "$w: not lowercase" ;;
    .*) echo "$w: starts with dot" ;;
    *z) echo "$w: ends with z" ;;
  esac
done
