# getopts errors: a leading ':' makes them silent and reports the option in OPTARG.
OPTIND=1
while getopts :ab: opt -x -b; do
  case $opt in
    :) echo "missing argument for $OPTARG" ;;
    \?) echo "unknown option $OPTARG" ;;
    *) echo "option $opt" ;;
  esac
done
OPTIND=1
while getopts a opt -z 2>/dev/null; do
  echo "loud mode: opt=$opt OPTARG=${OPTARG-unset}"
done
echo "loop done"
