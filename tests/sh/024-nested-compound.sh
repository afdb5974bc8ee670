# Compound commands nest across lines.
for i in 1 2 3; do
  if [ $i -ne 2 ]; then
    j=0
    while [ $j -lt $i ]; do
      case $j in
        0) printf 'i%s:zero ' $i ;;
        *) printf 'i%s:%s ' $i $j ;;
      esac
      j=$((j + 1))
    done
    echo
  else
    { echo "skip $i"; }
  fi
done
