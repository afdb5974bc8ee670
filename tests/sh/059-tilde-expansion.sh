# Tilde expansion: ~ and ~/path use HOME; quoted tildes stay; assignments expand after ':'.
HOME=/home/test
echo ~
echo ~/dir
echo "~" '~' \~
echo a~b
x=~/one
echo "$x"
p=~/a:~/b
echo "$p"
HOME=/other
echo ~
echo ~root | grep -c /
