#!/bin/sh
# mmdebstrap customize hook for the exlb root file system. $1 is the new root.
# Inputs (environment, set by image/pipeline/rootfs.ts from image/recipe.json):
#   EXLB_KERNEL_MODULES      modules to keep (with their dependencies); every other module is deleted
#   EXLB_PURGE               packages to remove again (dpkg refuses, naming the dependent, if one needs them)
#   EXLB_SYSUSERS            our sysusers.d file (image/overlay/usr/lib/sysusers.d/exlb.conf): the users are made
#                            here, in /etc of the root file system, which is read-only on the appliance
set -eu
export LC_ALL=C
root="$1"
: "${EXLB_KERNEL_MODULES:?}"

if [ -n "${EXLB_PURGE:-}" ]; then
	echo "exlb: purging $EXLB_PURGE"
	# shellcheck disable=SC2086 # one argument per package name (names are checked by the recipe schema)
	chroot "$root" dpkg --purge $EXLB_PURGE
fi

echo "exlb: system users from $EXLB_SYSUSERS"
chroot "$root" systemd-sysusers - < "${EXLB_SYSUSERS:?}"

kver=$(ls "$root/usr/lib/modules")
case "$kver" in *' '*|'') echo "expected exactly one kernel in /usr/lib/modules, found: $kver" >&2; exit 1 ;; esac

echo "exlb: trimming kernel modules of $kver to the recipe's list"
keep="$root/tmp/exlb-keep-modules"
: > "$keep"
for module in $EXLB_KERNEL_MODULES; do
	if ! chroot "$root" modprobe --set-version "$kver" --show-depends "$module" > "$keep.one" 2>/dev/null; then
		echo "kernel module \"$module\" (recipe kernelModules) does not exist in $kver" >&2
		exit 1
	fi
	# "insmod /lib/modules/.../x.ko" lines (builtin modules print "builtin x")
	awk '$1 == "insmod" { sub("^/usr", "", $2); print $2 }' "$keep.one" >> "$keep"
done
rm -f "$keep.one"
sort -u "$keep" > "$keep.sorted"
find "$root/usr/lib/modules/$kver/kernel" -name '*.ko*' | sed "s|^$root/usr||" | sort > "$keep.all"
comm -23 "$keep.all" "$keep.sorted" | while read -r file; do rm -f "$root/usr$file"; done
rm -f "$keep.sorted" "$keep.all"
find "$root/usr/lib/modules/$kver/kernel" -depth -type d -empty -delete
chroot "$root" depmod "$kver"
rm -f "$keep"

# Stable names GRUB loads from the system partition.
ln -sf "vmlinuz-$kver" "$root/boot/vmlinuz"
ln -sf "initrd.img-$kver" "$root/boot/initrd.img"
rm -f "$root/vmlinuz" "$root/vmlinuz.old" "$root/initrd.img" "$root/initrd.img.old" "$root/boot/System.map-$kver"

echo "exlb: identity and clean-up"
# Empty machine-id: systemd makes a transient one at boot; exlb-machine-id.service persists it on /data.
: > "$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id" "$root/etc/ssh/ssh_host_"* 
echo exlb > "$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\texlb\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$root/etc/hosts"
ln -sf ../run/systemd/resolve/stub-resolv.conf "$root/etc/resolv.conf"
rm -rf "$root/var/cache/apt/"* "$root/var/lib/apt/lists/"* "$root/var/cache/debconf/"*-old "$root/var/lib/dpkg/"*-old
find "$root/var/log" -type f -delete
# Perl's full library is needed while packages install (usrmerge, debconf) but by nothing that runs on
# the appliance (perl-base stays for dpkg/debconf).
rm -rf "$root/usr/share/perl" "$root/usr/lib/x86_64-linux-gnu/perl"
# The hardware database only names devices for humans (lsusb, udevadm info); 10 MB the appliance does not need.
rm -f "$root/usr/lib/udev/hwdb.bin" "$root/etc/udev/hwdb.bin"
