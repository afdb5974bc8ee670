# Sequential lists: ';' and newlines run commands one after another.
echo a; echo b;echo c
echo d
false; echo "after false: $?"
