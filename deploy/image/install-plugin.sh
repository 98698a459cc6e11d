#!/bin/sh
# Installs the underpool CNI plugin into the host's CNI plugin directory (the DaemonSet's init container runs it).
#   install-plugin.sh SOURCE DEST_DIR [NAME]     NAME defaults to "underpool" (the netconf's ipam.type)
# Atomic: the binary is written under a temporary name in DEST_DIR and renamed over NAME, so a runtime exec'ing the
# plugin meanwhile runs the old file or the new one, never a partial one (and a running plugin is never written to).
# Idempotent: an identical file with mode 0755 is left as it is.
set -eu

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: install-plugin.sh SOURCE DEST_DIR [NAME]" >&2
  exit 2
fi
source=$1
dest_dir=$2
name=${3:-underpool}
target=$dest_dir/$name

if [ ! -f "$source" ]; then
  echo "install-plugin: $source does not exist" >&2
  exit 1
fi
if [ ! -d "$dest_dir" ]; then
  echo "install-plugin: $dest_dir is not a directory (mount the host's CNI bin directory there)" >&2
  exit 1
fi

if [ -f "$target" ] && cmp -s "$source" "$target" && [ -n "$(find "$target" -prune -perm 0755)" ]; then
  echo "install-plugin: $target is up to date"
  exit 0
fi

# Same directory as the target: rename(2) is atomic only within one file system.
temp=$dest_dir/.$name.install.$$
trap 'rm -f "$temp"' EXIT
cp "$source" "$temp"
chmod 0755 "$temp"
mv -f "$temp" "$target"
trap - EXIT
echo "install-plugin: installed $target"
