# Here-documents: the lines up to the delimiter become the command's input.
cat <<EOF
first line
  indented line

after blank
EOF
cat <<END
another
END
wc -l <<X | tr -d ' '
1
2
3
X
