# case: quoted pattern characters are literal; an unquoted variable is a pattern.
pat='a*'
for w in 'a*' abc; do
  case $w in
    "$pat") echo "$w: literal a*" ;;
    *) echo "$w: no literal match" ;;
  esac
  case $w in
    $pat) echo "$w: pattern a*" ;;
  esac
done
case '*' in \*) echo "escaped star" ;; esac
case 'a b' in 'a b') echo "quoted blank" ;; esac
case '' in '') echo "empty word" ;; esac
