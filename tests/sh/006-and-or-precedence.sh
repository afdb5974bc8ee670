# '&&' and '||' have equal precedence and associate left to right.
false && echo x || echo y
true || false && echo z
false || false || echo third
true && false || echo recovered
false && { echo a; } || { echo b; }
true && true && true && echo all
