# In an unquoted here-document, backslash escapes only $ ` \ and newline.
x=val
cat <<EOF
dollar \$x and $x
backquote \`
backslash \\ end
other \a \n \" kept
joined \
line
EOF
