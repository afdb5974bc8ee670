# Single quotes preserve every character literally.
printf '%s\n' 'a $x `y` "z" \ \n'
echo 'multi
line'
echo 'it'\''s'
echo '' | wc -c | tr -d ' '
