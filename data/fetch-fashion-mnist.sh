#!/usr/bin/env bash
# Brings the Fashion-MNIST IDX files (Debian package dataset-fashion-mnist) onto this machine.
#
#   data/fetch-fashion-mnist.sh           use the installed package, else install it (root),
#                                         else extract it without root into data/fashion-mnist/
#   data/fetch-fashion-mnist.sh --local   always extract into data/fashion-mnist/ (no root needed)
#
# The Java loader (io.github.fastgn.data.FashionMnist) reads $FASHION_MNIST_DIR, else
# /usr/share/datasets/fashion-mnist. After a local extraction, export FASHION_MNIST_DIR as printed.
set -euo pipefail

PKG=dataset-fashion-mnist
SYSTEM_DIR=/usr/share/datasets/fashion-mnist
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LOCAL_DIR="$HERE/fashion-mnist"
FILES=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz)
# SHA-256 of the files of dataset-fashion-mnist 0.0~git20200523.55506a9-1 (Debian 12), see data/README.md
SUMS="b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7  train-images-idx3-ubyte.gz
0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056  train-labels-idx1-ubyte.gz
cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa  t10k-images-idx3-ubyte.gz
8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05  t10k-labels-idx1-ubyte.gz"
INSTALL_CMD="sudo apt-get update && sudo apt-get install -y --no-install-recommends $PKG"

local_only=0
case "${1:-}" in
  "") ;;
  --local) local_only=1 ;;
  -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "unknown option '$1'; usage: $0 [--local]" >&2; exit 2 ;;
esac

have_all() {
  local f
  for f in "${FILES[@]}"; do
    [ -f "$1/$f" ] || return 1
  done
}

# Compares the files with the recorded checksums; a difference is reported, not fatal
# (another package version may recompress the same images).
check_sums() {
  if ! command -v sha256sum >/dev/null 2>&1; then
    echo "note: sha256sum not found, checksums not verified"
    return 0
  fi
  if (cd "$1" && printf '%s\n' "$SUMS" | sha256sum --check --quiet >/dev/null 2>&1); then
    echo "checksums match data/README.md"
  else
    echo "warning: the files in $1 differ from the checksums in data/README.md (another package version?);" \
         "the loader still validates their format" >&2
  fi
}

if [ "$local_only" -eq 0 ]; then
  if [ -n "${FASHION_MNIST_DIR:-}" ] && have_all "$FASHION_MNIST_DIR"; then
    echo "Fashion-MNIST is already in FASHION_MNIST_DIR=$FASHION_MNIST_DIR; nothing to do."
    check_sums "$FASHION_MNIST_DIR"
    exit 0
  fi
  if have_all "$SYSTEM_DIR"; then
    echo "Fashion-MNIST is installed in $SYSTEM_DIR (package $PKG); nothing to do."
    check_sums "$SYSTEM_DIR"
    exit 0
  fi
  if have_all "$LOCAL_DIR"; then
    echo "Fashion-MNIST is already extracted in $LOCAL_DIR; to use it:"
    echo "  export FASHION_MNIST_DIR=$LOCAL_DIR"
    exit 0
  fi
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing $PKG with apt-get"
    apt-get update
    apt-get install -y --no-install-recommends "$PKG"
    if have_all "$SYSTEM_DIR"; then
      echo "Fashion-MNIST is installed in $SYSTEM_DIR."
      check_sums "$SYSTEM_DIR"
      exit 0
    fi
    echo "error: $PKG is installed but $SYSTEM_DIR lacks the four files; reinstall them: apt-get install --reinstall $PKG" >&2
    exit 1
  fi
fi

# No root (or --local): download the .deb as a normal user and unpack it here.
fail_with_command() {
  echo "error: $1" >&2
  echo "Install the Debian package instead:" >&2
  echo "  $INSTALL_CMD" >&2
  echo "or put the four files (${FILES[*]}) in a directory and set FASHION_MNIST_DIR to it." >&2
  exit 1
}

for tool in apt-get dpkg-deb; do
  command -v "$tool" >/dev/null 2>&1 || fail_with_command "$tool is not available, so $PKG cannot be downloaded here"
done
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "downloading $PKG with apt-get download (no root needed)"
if ! (cd "$tmp" && apt-get download "$PKG"); then
  fail_with_command "'apt-get download $PKG' failed (no network, or no package lists: run 'apt-get update' as root)"
fi
deb=("$tmp"/"$PKG"_*.deb)
[ -f "${deb[0]}" ] || fail_with_command "apt-get download left no .deb file"
dpkg-deb -x "${deb[0]}" "$tmp/root"
have_all "$tmp/root$SYSTEM_DIR" || fail_with_command "the downloaded package has no $SYSTEM_DIR with the four files"
mkdir -p "$LOCAL_DIR"
for f in "${FILES[@]}"; do
  cp "$tmp/root$SYSTEM_DIR/$f" "$LOCAL_DIR/$f"
done
echo "extracted $(basename "${deb[0]}") into $LOCAL_DIR"
check_sums "$LOCAL_DIR"
echo "To use it, set:"
echo "  export FASHION_MNIST_DIR=$LOCAL_DIR"
