# case runs the list of the first pattern that matches the word.
for w in apple banana cherry; do
  case $w in
    apple) echo "red $w" ;;
    banana) echo "yellow $w" ;;
    *) echo "other $w" ;;
  esac
done
case x in x) echo same line;; esac
case nomatch in a) echo a ;; esac
echo "no match status $?"
