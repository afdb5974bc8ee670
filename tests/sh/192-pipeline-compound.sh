# Compound commands as pipeline stages, and a long pipeline.
{ echo b; echo a; echo c; } | sort | while read l; do echo "line $l"; done
for i in 3 1 2; do echo $i; done | sort -r | tr '\n' ' '; echo
if true; then echo yes; fi | tr y Y
echo abc | tr a A | tr b B | tr c C | cat | cat
(echo sub1; echo sub2) | wc -l | tr -d ' '
