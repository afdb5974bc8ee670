# { list; } groups commands in the current shell environment.
x=outer
{ x=inner; echo "in: $x"; }
echo "out: $x"
{ echo a; echo b; } | tr a-z A-Z
{
  echo multi
  echo line
}
{ false; }
echo "status $?"
