# A loop's status is that of the last body command run, or 0 with no iteration.
for i in 1 2; do (exit $i); done
echo "for: $?"
false
for i in; do :; done
echo "empty for: $?"
i=0
while [ $i -lt 2 ]; do i=$((i + 1)); (exit 5); done
echo "while: $?"
false
while false; do :; done
echo "no iteration: $?"
