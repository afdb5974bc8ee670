# echo writes its arguments separated by single spaces.
echo
echo one
echo one two   three
echo "  leading"
echo -- dashdash
echo ''
echo a '' b
