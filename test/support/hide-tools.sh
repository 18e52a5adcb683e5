#!/bin/sh
# Runs a command as on a fresh Debian machine with only Node installed, to prove that every test
# whose tool is missing skips with a reason instead of failing:
#
#   test/support/hide-tools.sh npm test
#   test/support/hide-tools.sh --list          # print the binaries that stay visible
#
# Hiding a tool from PATH alone would prove little: the suite also looks in the system directories
# by absolute path (/usr/bin/chromium, findOnPath's SYSTEM_PATH). So the command runs in a private
# mount namespace where /usr/bin, /usr/sbin, /usr/local/bin and /usr/local/sbin hold only the
# allowed binaries: everything else on the machine is as it was, and nothing outside the namespace
# changes. Needs unshare(1) and mount(8) (util-linux) and the right to create a mount namespace
# (root, or unprivileged user namespaces).
#
# The allowed binaries are those of Debian bookworm's "required" packages, which are what
# debootstrap's minbase and so the debian:bookworm image install (dash as sh, bash, coreutils, grep,
# sed, mawk as awk, gzip, tar, perl-base, util-linux, ...: no curl, wget, jq, git, ps, gawk, other
# shells, shellcheck, shfmt, strace, chromium or terraform), plus node and npm/npx, wherever they are.
set -eu

BASE_PACKAGES='apt base-files base-passwd bash bsdutils coreutils dash debconf debianutils diffutils
dpkg e2fsprogs findutils grep gzip hostname init-system-helpers libc-bin login mawk mount ncurses-bin
passwd perl-base sed sensible-utils sysvinit-utils tar util-linux'
# Debian's base points these alternatives at the base's own choice; this machine may point elsewhere.
ALTERNATIVES='awk=mawk nawk=mawk sh=dash'
NODE_TOOLS='node npm npx corepack'
MASKED_DIRS='/usr/bin /usr/sbin /usr/local/bin /usr/local/sbin'
# The PATH of a plain Debian login: nothing from ~/.local, ~/.cargo or /opt leaks in.
PLAIN_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

die() {
  printf 'Error: %s\n' "$1" >&2
  exit 2
}

is_masked() {
  case "$1" in
    /usr/bin/* | /usr/sbin/* | /usr/local/bin/* | /usr/local/sbin/*) return 0 ;;
    *) return 1 ;;
  esac
}

# Lines "<path as looked up> <real file>": the executables of the base packages, the base's
# alternatives, and node's tools. /bin and /sbin are symlinks into /usr on a merged-/usr system.
allowed_binaries() {
  for package in $BASE_PACKAGES; do
    dpkg-query -L "$package" 2>/dev/null || true
  done | sed -n -e 's#^/bin/#/usr/bin/#' -e 's#^/sbin/#/usr/sbin/#' -e '\#^/usr/\(local/\)\{0,1\}s\{0,1\}bin/[^/]*$#p' |
    sort -u | while IFS= read -r path; do
    [ -e "$path" ] && printf '%s %s\n' "$path" "$(readlink -f "$path")"
  done
  for pair in $ALTERNATIVES; do
    target=$(command -v "${pair#*=}") || continue
    printf '/usr/bin/%s %s\n' "${pair%%=*}" "$(readlink -f "$target")"
  done
  for tool in $NODE_TOOLS; do
    found=$(PATH=$PLAIN_PATH:$PATH command -v "$tool") || continue
    case "$found" in
      /*) ;;
      *) continue ;;
    esac
    is_masked "$found" || found=/usr/bin/$tool
    printf '%s %s\n' "$found" "$(readlink -f "$found")"
  done
}

# Inside the namespace: build each masked directory's replacement in a tmpfs beside it, holding the
# allowed files (bind mounts where the real file is itself in a masked directory, symlinks
# elsewhere), then move each over the real directory.
build_view() {
  list=$1 stage=$2
  for dir in $MASKED_DIRS; do
    [ -d "$dir" ] || continue
    staged=$stage$(printf '%s' "$dir" | tr / _)
    mkdir -p "$staged"
    mount -t tmpfs -o mode=0755 tmpfs "$staged"
  done
  # The later line wins for a path listed twice (an alternative overrides the machine's choice).
  awk '{ real[$1] = $2 } END { for (path in real) print path, real[path] }' "$list" |
    while read -r path real; do
      dir=${path%/*}
      [ -d "$dir" ] || continue
      staged=$stage$(printf '%s' "$dir" | tr / _)/${path##*/}
      if is_masked "$real"; then
        : >"$staged"
        mount --bind "$real" "$staged"
      else
        ln -s "$real" "$staged"
      fi
    done
  for dir in $MASKED_DIRS; do
    [ -d "$dir" ] || continue
    mount --move "$stage$(printf '%s' "$dir" | tr / _)" "$dir"
  done
}

if [ "${1:-}" = --inside ]; then
  list=$2 stage=$3
  shift 3
  build_view "$list" "$stage"
  PATH=$PLAIN_PATH
  export PATH
  exec "$@"
fi

[ "$(readlink /bin)" = usr/bin ] || die 'this script expects a merged-/usr system (/bin a symlink to usr/bin), as Debian bookworm is'
command -v dpkg-query >/dev/null || die 'dpkg-query is not installed: the allowed list comes from Debian packages'
command -v unshare >/dev/null || die 'unshare is not installed (util-linux)'

if [ "${1:-}" = --list ]; then
  allowed_binaries | sort -u
  exit 0
fi
[ "$#" -gt 0 ] || die 'usage: test/support/hide-tools.sh --list | COMMAND [ARG...]'

work=$(mktemp -d "${TMPDIR:-/tmp}/hide-tools.XXXXXX")
trap 'rm -rf "$work"' EXIT
allowed_binaries >"$work/allowed"
mkdir "$work/stage"
if [ "$(id -u)" -eq 0 ]; then
  namespace='unshare --mount --propagation private'
else
  namespace='unshare --mount --propagation private --map-root-user'
fi
$namespace -- true 2>/dev/null || die "cannot create a mount namespace here ($namespace): run as root, or allow unprivileged user namespaces"
status=0
$namespace -- "$0" --inside "$work/allowed" "$work/stage/" "$@" || status=$?
exit "$status"
