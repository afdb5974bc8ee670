# if's status: the branch's status, or 0 when no condition succeeded and no else.
false
if false; then :; fi
echo "no branch: $?"
if true; then (exit 4); fi
echo "then branch: $?"
if false; then :; else (exit 6); fi
echo "else branch: $?"
if (exit 2); then :; elif (exit 3); then :; fi
echo "no elif taken: $?"
