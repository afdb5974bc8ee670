# getopts parses the positional parameters by default, or the given arguments.
set -- -v -n 3 data
while getopts vn: o; do
  case $o in
    v) verbose=1 ;;
    n) count=$OPTARG ;;
  esac
done
shift $((OPTIND - 1))
echo "verbose=$verbose count=$count rest=$*"
OPTIND=1
getopts x: o -xvalue
echo "$o $OPTARG $OPTIND"
