# Backslash-newline joins lines, also in the middle of a word and inside double quotes.
echo one \
  two \
  three
ec\
ho joined
echo "in dq\
uotes"
echo 'in single \
quotes'
