# for name in words: the words are expanded and split before the loop.
for x in a b c; do echo "x=$x"; done
list="1 2 3"
for n in $list; do echo "n=$n"; done
for w in "a b" c; do echo "w=$w"; done
for x in
do
  echo never
done
echo "empty list status $?"
for x in last; do :; done
echo "after: $x"
