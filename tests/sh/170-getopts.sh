# getopts parses options one at a time into a variable.
parse() {
  OPTIND=1
  while getopts ab:c name; do
    case $name in
      a) echo "option a" ;;
      b) echo "option b with $OPTARG" ;;
      c) echo "option c" ;;
      ?) echo "bad option" ;;
    esac
  done
  shift $((OPTIND - 1))
  echo "rest: $*"
}
parse -a -b arg -c file1 file2
parse -ac -bjoined x
parse -- -a
parse plain -a
