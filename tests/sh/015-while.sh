# while loops run while the condition succeeds.
i=0
while [ $i -lt 3 ]; do
  echo "i=$i"
  i=$((i + 1))
done
while false; do echo never; done
echo "zero iterations: $?"
n=0
while n=$((n + 1)); [ $n -le 2 ]; do echo "n=$n"; done
