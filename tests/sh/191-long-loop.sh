# A loop of a thousand iterations with arithmetic and tests.
i=0
sum=0
while [ $i -lt 1000 ]; do
  i=$((i + 1))
  case $((i % 3)) in 0) sum=$((sum + i)) ;; esac
done
echo "i=$i sum=$sum"
