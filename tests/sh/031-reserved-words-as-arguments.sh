# Reserved words are recognised only where a command can start.
echo if then else fi
echo for in do done while until case esac
echo { } !
x=fi
echo "$x"
for do in in do; do echo "$do"; done
