#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Attack: -F used to fail open. `-F some-directory` captured everything and exited 0,
# `-F /dev/urandom` grew without bound, a comment line over 4,095 characters spilled its tail
# into the expression. Now every one of those is one error line and exit 1 with nothing
# captured, and the file's text is what tcpdump -F reads (checked against tcpdump's counts).
set -u
NS=hdff$$
. "$(dirname "$0")/live_lib.sh"
need tcpdump
P=$PROCAP
F=$ROOT/testdata/golden/eth_tcp.pcap
U=$ROOT/testdata/golden/eth_udp.pcap

# refused NAME MESSAGE ARGS...: exit 1, nothing on stdout, one stderr line matching MESSAGE
refused() {
	local name=$1 msg=$2 rc
	shift 2
	timeout 20 "$P" "$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	if [ "$rc" = 1 ] && [ ! -s "$T/out" ] && [ "$(wc -l <"$T/err")" = 1 ] &&
		grep -q "^procap: $msg" "$T/err"; then
		pass "-F: $name"
	else
		fail "-F: $name" "exit $rc, $(wc -c <"$T/out") bytes out: $(head -c 300 "$T/err")"
	fi
}
mkdir "$T/dir"
refused "a directory (-r)" "cannot read filter file $T/dir: Is a directory" -r "$F" -n -F "$T/dir"
refused "a directory (-w)" "cannot read filter file $T/dir: Is a directory" -r "$F" -F "$T/dir" -w "$T/x.pcapng"
check "-F directory: no output file" "$([ -e "$T/x.pcapng" ] && echo made)" ""
refused "/dev/urandom: bounded, refused" "filter file /dev/urandom: larger than 1048576 bytes" -r "$F" -n -F /dev/urandom
printf 'udp\0 or tcp\n' >"$T/nul"
refused "a NUL byte (binary file)" "filter file $T/nul: NUL byte at offset 3" -r "$F" -n -F "$T/nul"
refused "missing file" "cannot read filter file $T/none: No such file" -r "$F" -n -F "$T/none"
head -c 300000 /dev/zero | tr '\0' ' ' >"$T/long"; echo tcp >>"$T/long"
refused "a 300,000-character line" "filter file $T/long: line 1 is longer than 262144 characters" -r "$F" -n -F "$T/long"
printf '# nothing here\n\n   # nor here\n' >"$T/empty"
refused "only comments: no expression" "filter file $T/empty: no filter expression" -r "$F" -n -F "$T/empty"
if [ -r /proc/self/mem ]; then
	refused "read error (EIO from /proc/self/mem)" "cannot read filter file /proc/self/mem: " -r "$F" -n -F /proc/self/mem
fi
refused "live: a directory, nothing captured" "cannot read filter file $T/dir: Is a directory" -i lo -c 1 -F "$T/dir"

# a comment of 5,000 characters whose tail reads "tcp or": the filter is still just udp
{ printf '#'; head -c 4094 /dev/zero | tr '\0' x; printf ' tcp or\n udp # trailing comment\n'; } >"$T/spill"
check "-F long comment: tcp capture, nothing passes (tcpdump -F count)" \
	"$("$P" -r "$F" -n -F "$T/spill" 2>/dev/null | wc -l)" "$(tcpdump -r "$F" -n -F "$T/spill" 2>/dev/null | wc -l)"
check "-F long comment: udp capture, everything passes (tcpdump -F count)" \
	"$("$P" -r "$U" -n -F "$T/spill" 2>/dev/null | wc -l)" "$(tcpdump -r "$U" -n -F "$T/spill" 2>/dev/null | wc -l)"
[ "$(tcpdump -r "$U" -n 2>/dev/null | wc -l)" -gt 0 ] && [ "$(tcpdump -r "$F" -n -F "$T/spill" 2>/dev/null | wc -l)" = 0 ] &&
	pass "-F long comment: reference counts differ (test can fail)" || fail "-F long comment: references" "tcpdump counts"
# a pipe (-F <(...)) still works
check "-F from a pipe: tcpdump's count" "$("$P" -r "$F" -n -F <(echo 'tcp[13] & 2 != 0') 2>/dev/null | wc -l)" \
	"$(tcpdump -r "$F" -n 'tcp[13] & 2 != 0' 2>/dev/null | wc -l)"
