#!/bin/sh
# The image's systemd-journald and journalctl, for the logging benchmark (the build host runs no journald):
#   image-journal.sh daemon ROOTFS CONF NAMESPACE    journald with CONF as journald@NAMESPACE.conf
#   image-journal.sh read ROOTFS DIR TEXT            the stored lines of journal directory DIR that contain TEXT
# Each in a private mount namespace whose /usr and /etc are the image's (read-only binds, as test/shipped/bin does
# for the daemons). A journal namespace keeps its sockets in /run/systemd/journal.NAMESPACE (haproxy logs to its
# dev-log there) and its files in /run/log/journal/<machine id>.NAMESPACE, apart from any journald of the host.
set -eu
action=$1 root=$2
shift 2
exec unshare --mount --propagation private -- sh -c '
	set -eu
	action=$1 root=$2
	shift 2
	mount -o bind,ro "$root/usr" /usr
	mount -o bind,ro "$root/etc" /etc
	case "$action" in
	daemon)
		# journald reads a namespace'"'"'s configuration from /etc/systemd: a private tmpfs there holds CONF only.
		mount -t tmpfs tmpfs /etc/systemd
		cp "$1" "/etc/systemd/journald@$2.conf"
		exec /usr/lib/systemd/systemd-journald "$2" ;;
	read)
		exec /usr/bin/journalctl --directory "$1" --output cat --grep "$2" --quiet ;;
	*)
		echo "image-journal.sh: unknown action $action" >&2; exit 2 ;;
	esac
' image-journal "$action" "$root" "$@"
