# '!' negates a pipeline's status.
! true
echo "! true: $?"
! false
echo "! false: $?"
! (exit 5)
echo "! exit 5: $?"
! echo abc | grep -q x
echo "! grep: $?"
if ! false; then echo negated; fi
