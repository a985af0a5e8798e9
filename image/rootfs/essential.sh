#!/bin/sh
# mmdebstrap essential hook (before the kernel is installed): configure initramfs-tools so the kernel's
# own postinst builds the small initramfs exlb needs. $1 is the new root.
# Input: EXLB_INITRAMFS_MODULES, the modules that find and mount the read-only system.
set -eu
root="$1"
: "${EXLB_INITRAMFS_MODULES:?}"
mkdir -p "$root/usr/share/initramfs-tools/modules.d" "$root/etc/initramfs-tools/conf.d"
printf '%s\n' $EXLB_INITRAMFS_MODULES > "$root/usr/share/initramfs-tools/modules.d/exlb"
printf 'MODULES=list\nBUSYBOX=y\nCOMPRESS=zstd\n' > "$root/etc/initramfs-tools/conf.d/exlb.conf"
mkdir -p "$root/etc/initramfs-tools/scripts/init-bottom"
install -m 0755 "$(dirname "$0")/initramfs-var.sh" "$root/etc/initramfs-tools/scripts/init-bottom/exlb-var"
