# A case statement inside $( ): the pattern's ')' does not end the substitution.
x=$(case a in a) echo matched ;; esac)
echo "$x"
y=$(case b in (a) echo no ;; (b) echo paren-form ;; esac)
echo "$y"
z=$(
  for i in 1 2; do
    echo "line $i"
  done
)
echo "$z"
echo "$( (echo subshell in substitution) )"
