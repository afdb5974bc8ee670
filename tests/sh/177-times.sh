# times reports CPU times and succeeds.
times > /dev/null
echo "status $?"
lines=$(times | wc -l | tr -d ' ')
echo "lines: $lines"
