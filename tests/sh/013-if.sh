# if/then/fi runs the body when the condition list succeeds.
if true; then echo yes; fi
if false; then echo no; fi
if true
then
  echo newline form
fi
if false; true; then echo last command decides; fi
x=5
if [ "$x" -gt 3 ]; then echo big; fi
