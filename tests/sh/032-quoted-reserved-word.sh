# A quoted reserved word is an ordinary command name (here not found: 127).
"if" true 2>/dev/null
echo "quoted if: $?"
\for 2>/dev/null
echo "escaped for: $?"
