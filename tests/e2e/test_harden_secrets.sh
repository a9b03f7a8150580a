#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Attack: capture files hold every process's command line (Args: curl -u admin:secret ...)
# and were created 0644, readable by every local user. Now every file procap creates (-w,
# .gz, -C rotations) is 0600 and an existing file is narrowed to 0600; --no-args leaves
# command lines out of files, comments, text (-v), JSON, and of files re-written from a capture
# that has them.
set -u
NS=hdsc$$
. "$(dirname "$0")/live_lib.sh"
need python3 tcpdump tshark
P=$PROCAP
F=$ROOT/testdata/golden/eth_tcp.pcap
umask 022
mode() { stat -c %a "$1" 2>/dev/null; }

"$P" -r "$F" -w "$T/a.pcapng" 2>/dev/null
check "-w file mode (umask 022): 600" "$(mode "$T/a.pcapng")" 600
"$P" -r "$F" -w "$T/a.pcapng.gz" 2>/dev/null
check "-w FILE.gz mode: 600" "$(mode "$T/a.pcapng.gz")" 600
touch "$T/old.pcapng" && chmod 644 "$T/old.pcapng"
"$P" -r "$F" -w "$T/old.pcapng" 2>/dev/null
check "-w over an existing 0644 file: narrowed to 600" "$(mode "$T/old.pcapng")" 600
# -C 1: a 2.4 MB capture becomes three files, each 0600
python3 - "$T/big.pcap" <<'EOS'
import struct, sys
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    frame = bytes(12) + b"\x08\x00" + bytes(1386)
    for i in range(1700):
        f.write(struct.pack("<IIII", 1000 + i, 0, len(frame), len(frame)) + frame)
EOS
mkdir "$T/rot"
"$P" -r "$T/big.pcap" -w "$T/rot/r.pcapng" -C 1 2>/dev/null
check "-C 1 rotation: 3 files, all 600" "$(stat -c %a "$T"/rot/r.pcapng* | sort | uniq -c | tr -s ' ')" " 3 600"

# live, -- CMD with a secret on its command line
SECRET=hunter2-$$
printf '%s\n' "import socket" "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)" \
	"for i in range(3): s.sendto(b'x', ('127.0.0.1', 9))" >"$T/send.py"
CMD=(python3 "$T/send.py" --password=$SECRET)
"$P" -i lo -n -v --print -w "$T/with.pcapng" udp port 9 -- "${CMD[@]}" >"$T/with.txt" 2>/dev/null
"$P" -i lo -n -v --print --no-args -w "$T/without.pcapng" udp port 9 -- "${CMD[@]}" >"$T/without.txt" 2>/dev/null
"$P" -i lo -n --json --no-args udp port 9 -- "${CMD[@]}" >"$T/without.json" 2>/dev/null
check "live: 3 packets each run (tcpdump count)" "$(tcpdump -r "$T/with.pcapng" 2>/dev/null | wc -l) $(
	tcpdump -r "$T/without.pcapng" 2>/dev/null | wc -l)" "3 3"
check "without --no-args the secret is there: file, -v text (test can fail)" \
	"$(grep -c "$SECRET" "$T/with.pcapng" "$T/with.txt" | grep -c ':[1-9]')" 2
check "--no-args: secret in no file, text or JSON" \
	"$(cat "$T/without.pcapng" "$T/without.txt" "$T/without.json" | grep -ac "$SECRET")" 0
check "--no-args: the comment still names the process (Cmd: python3)" \
	"$(tshark -r "$T/without.pcapng" -T fields -e frame.comment 2>/dev/null | grep -c 'Cmd: python3')" 3
"$P" -r "$T/with.pcapng" --no-args -w "$T/rewritten.pcapng" 2>/dev/null
"$P" -r "$T/with.pcapng" --no-args -v -n >"$T/rewritten.txt" 2>/dev/null
check "-r FILE --no-args: secret dropped from the rewritten file and the text" \
	"$(cat "$T/rewritten.pcapng" "$T/rewritten.txt" | grep -ac "$SECRET") $(tcpdump -r "$T/rewritten.pcapng" 2>/dev/null | wc -l)" "0 3"
