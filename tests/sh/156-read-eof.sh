# read returns non-zero at end of file, still setting the variables.
printf 'no newline' | { read v; echo "status $? v=$v"; }
printf '' | { read v; echo "empty: status $? v=[$v]"; }
printf 'l1\nl2' | {
  n=0
  while read line || [ -n "$line" ]; do n=$((n + 1)); echo "got $line"; done
  echo "$n lines"
}
