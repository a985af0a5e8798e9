#!/bin/sh
# initramfs-tools init-bottom script: the system partition is a read-only squashfs, so /var becomes an
# overlay of the image's factory copy (/usr/share/factory/var) and a tmpfs under /run: writable,
# in memory, nothing copied at boot. /run (with this tmpfs inside) moves into the real root afterwards.
PREREQ=""
prereqs() { echo "$PREREQ"; }
case "$1" in prereqs) prereqs; exit 0 ;; esac
set -e
[ -d "${rootmnt}/usr/share/factory/var" ] || exit 0
modprobe overlay
mkdir -p /run/exlb-var
mount -t tmpfs -o mode=0755,nosuid,nodev,size=25% exlb-var /run/exlb-var
mkdir -p /run/exlb-var/upper /run/exlb-var/work
mount -t overlay -o "lowerdir=${rootmnt}/usr/share/factory/var,upperdir=/run/exlb-var/upper,workdir=/run/exlb-var/work" exlb-var "${rootmnt}/var"
