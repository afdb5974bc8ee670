# trap with signal 0 (EXIT) and with signal numbers.
trap 'echo "zero means exit"' 0
trap 'echo "hup by number"' 1
kill -HUP $$
trap 'echo "term by number"' 15
kill -TERM $$
echo end
