# Here-document bodies may hold lines that look like the delimiter or like syntax.
cat <<EOF
EOF with text after
 EOF
EOFX
case ( ) ;; esac if fi
EOF
cat <<EOF
EOF
echo "empty body done"
