# $(command) is replaced by the command's output.
echo "today is $(echo Monday)"
x=$(echo assigned)
echo "$x"
echo $(printf 'a\nb\nc')
echo "$(printf 'a\nb\nc')"
echo "[$(true)]"
echo $(echo one; echo two)
n=$(printf '%s' hello | wc -c | tr -d ' ')
echo "$n"
