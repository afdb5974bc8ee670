# A newline may follow '|', '&&', '||' and the words that open compound commands.
echo piped |
  tr a-z A-Z
true &&
  echo "after &&"
false ||
  echo "after ||"
for i in a b
do echo "$i"
done
case x
in
  x)
    echo "case across lines"
    ;;
esac
if
  true
then
  echo "if across lines"
fi
f()
{
  echo "function across lines"
}
f
