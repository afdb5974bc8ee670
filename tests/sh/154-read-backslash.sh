# read without -r treats backslashes as escapes and line joins; -r keeps them.
read v <<'EOF'
a\tb\\c
EOF
printf '%s\n' "$v"
read -r v <<'EOF'
a\tb\\c
EOF
printf '%s\n' "$v"
read v <<'EOF'
joined \
line
EOF
printf '%s\n' "$v"
read -r v <<'EOF'
not joined \
line
EOF
printf '%s\n' "$v"
