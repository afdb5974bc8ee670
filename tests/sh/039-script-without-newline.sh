# The last line of a script need not end with a newline.
echo first
echo last line without newline