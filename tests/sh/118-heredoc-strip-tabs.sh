# <<- strips leading tabs from the body lines and the delimiter line.
cat <<-EOF
	tab-indented
		two tabs
    spaces stay
	EOF
if true; then
	cat <<-END
		inside if
	END
fi
cat <<EOF
	tabs kept without the dash
EOF
