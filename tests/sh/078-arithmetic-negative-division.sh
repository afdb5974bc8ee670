# Division truncates toward zero, and % takes the dividend's sign.
echo $((-7 / 2)) $((7 / -2)) $((-7 / -2))
echo $((-7 % 2)) $((7 % -2)) $((-7 % -2))
echo $((-1 * 9223372036854775807 - 1))
