#!/bin/sh
# scripts/debian-root.sh CACHE OUT PKG...: the Debian part of the image, as a tree
# at OUT that scripts/mkinitramfs.sh adds to the root file system: PKG... and the
# packages they need (scripts/deb-closure.sh; ncurses-base too, for the terminfo
# entries of TERM=linux, vt100, xterm and others), downloaded into the cache CACHE
# (scripts/fetch-debs.sh) and unpacked as on a Debian system, with these changes:
#
# - merged /usr, as Debian 12 systems have it: what a package puts in /bin, /sbin,
#   /lib or /lib64 goes to /usr/bin, /usr/sbin, /usr/lib, /usr/lib64, and /lib
#   and /lib64 are symlinks to usr/lib and usr/lib64 (so the loader named in
#   every program's PT_INTERP, /lib64/ld-linux-x86-64.so.2, and the loader's
#   default library folders /lib/x86_64-linux-gnu and /usr/lib/x86_64-linux-gnu
#   resolve). /bin and /sbin stay Kestrel's own folders: Debian's /bin/sh
#   (dash's) is /usr/bin/sh, and an absolute symlink to /bin/X or /sbin/X is
#   pointed at /usr/bin/X or /usr/sbin/X.
# - left out to keep the image small: documentation, manual and info pages,
#   translations (/usr/share/locale: programs speak English), lintian and bug
#   files, and glibc's gconv modules (iconv between UTF-8, ASCII, ISO-8859-1 and
#   the UCS/UTF-16/32 forms still works, it is built into libc; other character
#   sets give EINVAL from iconv_open).
# - maintainer scripts are not run. What they would have done that matters is
#   done here: the alternatives links of `update-alternatives --install` lines in
#   the postinst scripts (/usr/bin/awk -> /etc/alternatives/awk ->
#   /usr/bin/gawk, editor, pager, vi, ...; of several packages offering one
#   name the highest priority wins, as in apt's automatic mode). Not done: users
#   and groups packages would add, /etc/shells, byte-compiling Python modules
#   (python compiles them the first time it imports them, into __pycache__ of
#   the writable root), ld.so.cache (absent: the loader searches its default
#   folders), and debconf questions.
#
# The programs' shared libraries and loaders must all be in the tree: a library
# no package brought is an error naming the program. Without PKG, OUT is empty.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cache=$1
out=$(realpath -m "$2")
shift 2
rm -rf "$out" "$out.tmp"
trap 'rm -rf "$out.tmp"' EXIT
mkdir -p "$(dirname "$out")"
if [ $# -eq 0 ]; then
    mkdir "$out"
    exit 0
fi

# The closure, computed again when the names or apt's package lists change.
list="$out.packages"
if [ -f "$list" ] && [ "$(head -n 1 "$list")" = "$*" ] &&
    [ -z "$(find /var/lib/apt/lists -newer "$list" 2>/dev/null | head -n 1)" ]; then
    packages=$(tail -n +2 "$list")
else
    packages=$("$here/deb-closure.sh" "$@" ncurses-base)
    printf '%s\n%s\n' "$*" "$packages" >"$list"
fi
"$here/fetch-debs.sh" "$cache" $packages
cache=$(cd "$cache" && pwd)

tree=$out.tmp
mkdir "$tree"
for pkg in $packages; do
    cp -a "$cache/$pkg/." "$tree/"
    rm -rf "$tree/DEBIAN"
done

# Merged /usr.
for dir in bin sbin lib lib64; do
    if [ -d "$tree/$dir" ]; then
        mkdir -p "$tree/usr/$dir"
        cp -a "$tree/$dir/." "$tree/usr/$dir/"
        rm -rf "${tree:?}/$dir"
    fi
done
mkdir -p "$tree/usr/lib" "$tree/usr/lib64"
ln -s usr/lib "$tree/lib"
ln -s usr/lib64 "$tree/lib64"
# A path as it is in the tree: /bin/X is /usr/bin/X and so on.
merged() {
    case $1 in
        /bin/* | /sbin/* | /lib/* | /lib64/*) echo "/usr$1" ;;
        *) echo "$1" ;;
    esac
}
find "$tree" -type l | while read -r link; do
    target=$(readlink "$link")
    case $target in /bin/* | /sbin/*) ln -sfn "/usr$target" "$link" ;; esac
done

rm -rf "$tree/usr/share/doc" "$tree/usr/share/doc-base" "$tree/usr/share/man" "$tree/usr/share/info" \
    "$tree/usr/share/locale" "$tree/usr/share/lintian" "$tree/usr/share/bug" \
    "$tree/usr/lib/x86_64-linux-gnu/gconv"

# Whether a path exists in the tree, following the tree's symlinks (absolute
# ones from the tree's root). Sets in_tree, hops and target.
exists() {
    in_tree=$(merged "$1")
    hops=0
    while [ -L "$tree$in_tree" ] && [ $hops -lt 16 ]; do
        target=$(readlink "$tree$in_tree")
        case $target in
            /*) in_tree=$(merged "$target") ;;
            *) in_tree=$(dirname "$in_tree")/$target ;;
        esac
        hops=$((hops + 1))
    done
    [ -e "$tree$in_tree" ]
}

# Alternatives: "NAME LINK PATH" for each master link chosen and its slaves.
for pkg in $packages; do
    script=$cache/$pkg/DEBIAN/postinst
    # Lines joined where they end in a backslash.
    [ -f "$script" ] && sed -e ':a' -e '/\\$/{N;s/\\\n//;ba' -e '}' "$script"
done | awk '
    /update-alternatives/ && /--install/ && !/\$/ {
        for (i = 1; i + 4 <= NF; i++) {
            if ($i != "--install") continue
            master = $(i + 2)
            if ((master in priority) && $(i + 4) + 0 <= priority[master]) continue
            priority[master] = $(i + 4) + 0
            links[master] = master " " $(i + 1) " " $(i + 3)
            for (j = i + 5; j + 3 <= NF && $j == "--slave"; j += 4)
                links[master] = links[master] "\n" $(j + 2) " " $(j + 1) " " $(j + 3)
        }
    }
    END { for (master in links) print links[master] }' | while read -r name link path; do
    if exists "$path" && ! exists "$link"; then
        mkdir -p "$tree/etc/alternatives" "$tree$(dirname "$(merged "$link")")"
        ln -sfn "$(merged "$path")" "$tree/etc/alternatives/$name"
        ln -s "/etc/alternatives/$name" "$tree$(merged "$link")"
    fi
done

# Every program's loader and shared libraries.
problems=$(find "$tree" -type f \( -perm -u+x -o -name '*.so*' \) | while read -r file; do
    interp=$(readelf -lW "$file" 2>/dev/null | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
    if [ -n "$interp" ] && ! exists "$interp"; then
        echo "  ${file#"$tree"} needs its loader $interp"
    fi
    for lib in $(readelf -dW "$file" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
        if ! exists "/usr/lib/x86_64-linux-gnu/$lib" && ! exists "/usr/lib/$lib"; then
            echo "  ${file#"$tree"} needs $lib"
        fi
    done
done)
if [ -n "$problems" ]; then
    echo "debian-root: no package of $(echo $packages) has what these need:" >&2
    echo "$problems" >&2
    exit 1
fi
mv "$tree" "$out"
echo "debian-root: $(echo $packages | wc -w) packages, $(du -sk "$out" | cut -f1) KiB in $out"
