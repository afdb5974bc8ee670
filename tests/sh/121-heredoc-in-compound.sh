# Here-documents inside loops, functions and substitutions.
for i in 1 2; do
  cat <<EOF
iteration $i
EOF
done
show() {
  cat <<END
function arg: $1
END
}
show x
v=$(cat <<EOF
captured
EOF
)
echo "v=$v"
cat <<EOF | tr a-z A-Z
piped here-document
EOF
if cat <<EOF
in condition
EOF
then echo ok; fi
