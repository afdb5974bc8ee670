# Functions and variables have separate namespaces; a function is known only once defined.
undefined_yet 2>/dev/null
echo "before definition: $?"
undefined_yet() { echo "defined now"; }
undefined_yet
name=variable
name() { echo "function"; }
echo "$name"
name
name() { echo "redefined"; }
name
