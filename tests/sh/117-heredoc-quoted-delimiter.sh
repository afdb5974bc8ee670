# A quoted here-document delimiter: the body is taken literally.
name=world
cat <<'EOF'
no $name expansion
no $(echo subst) `echo bq` $((1+1))
backslash \$ stays
EOF
cat <<"END"
double-quoted delimiter $name
END
cat <<\STOP
escaped delimiter $name
STOP
cat <<E'N'D
partly quoted $name
END
