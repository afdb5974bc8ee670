# case: an empty body, a last item without ';;', and the exit status of the body.
case a in
  a) ;;
esac
echo "empty body status $?"
case b in
  b) (exit 3)
esac
echo "body status $?"
false
case z in y) echo no ;; esac
echo "no match resets status to $?"
case x in
  x) echo first
     echo second ;;
esac
