#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Attack: any local user can name a process with prctl(PR_SET_NAME) and a file can name its
# interface; --summary printed comm raw and text mode a file's if_name raw, so escape
# sequences reached a root operator's terminal. Now every such string is escaped (\xNN) in
# every mode: --summary, text, --events, --flows, -D, -r.
set -u
NS=hdes$$
. "$(dirname "$0")/live_lib.sh"
need python3 openssl
P=$PROCAP
ESC=$(printf '\033')

# no ESC or BEL byte in FILE, and the escaped name in it
clean() {	# NAME FILE WANT_TEXT
	if grep -q "[$ESC$(printf '\a')]" "$2"; then
		fail "$1" "a raw escape reached the output: $(od -c "$2" | grep -m1 '033')"
	elif ! grep -qF "$3" "$2"; then
		fail "$1" "no '$3' in: $(head -c 300 "$2")"
	else
		pass "$1"
	fi
}

# a TLS ClientHello from a process that named itself ESC ] 0 ; pwned BEL
cat >"$T/hello.py" <<'EOS'
import ctypes, socket, ssl
ctypes.CDLL(None).prctl(15, b"\x1b]0;pwned\x07", 0, 0, 0)	# PR_SET_NAME
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
c = socket.create_connection(srv.getsockname())
a, _ = srv.accept()
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
s = ctx.wrap_socket(c, server_hostname="esc.test", do_handshake_on_connect=False)
s.settimeout(0.3)
try:
    s.do_handshake()
except Exception:
    pass
EOS
"$P" -i lo -n --summary -- python3 "$T/hello.py" >"$T/summary.out" 2>/dev/null
clean "--summary: comm escaped" "$T/summary.out" '\x1b]0;pwned\x07'
check "--summary: the hello was seen" "$(grep -c 'esc.test' "$T/summary.out")" 1
"$P" -i lo -n --events -- python3 "$T/hello.py" >"$T/events.out" 2>/dev/null
clean "--events: comm escaped (exit line)" "$T/events.out" 'comm=\x1b]0;pwned\x07'
"$P" -i lo -n --flows -- python3 "$T/hello.py" >"$T/flows.out" 2>/dev/null
clean "--flows: comm escaped" "$T/flows.out" '\x1b]0;pwned\x07'

# a pcapng whose interface is named ESC ] 0 ; pwned BEL, its packet with a procap comment
python3 - "$T/ifname.pcapng" <<'EOS'
import struct, sys
def opt(code, val):
    return struct.pack("<HH", code, len(val)) + val + b"\0" * ((4 - len(val) % 4) % 4)
def block(bt, body):
    return struct.pack("<II", bt, 12 + len(body)) + body + struct.pack("<I", 12 + len(body))
pkt = (b"\x02" * 6 + b"\x04" * 6 + b"\x08\x00" + bytes.fromhex("4500001d000040004011") +
       b"\0\0" + bytes([192, 0, 2, 1, 192, 0, 2, 2]) + struct.pack(">HHHH", 1234, 9, 9, 0) + b"x")
with open(sys.argv[1], "wb") as f:
    f.write(block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) + opt(0, b"")))
    f.write(block(1, struct.pack("<HHI", 1, 0, 262144) + opt(2, b"\x1b]0;pwned\x07") + opt(0, b"")))
    f.write(block(6, struct.pack("<IIIII", 0, 0, 0, len(pkt), len(pkt)) + pkt +
                  b"\0" * ((4 - len(pkt) % 4) % 4) +
                  opt(1, b"PID: 42\nTID: 42\nCmd: evil\nSource: cookie") + opt(0, b"")))
EOS
"$P" -r "$T/ifname.pcapng" -n >"$T/r.out" 2>&1
clean "-r: the file's if_name escaped" "$T/r.out" '\x1b]0;pwned\x07 evil.42'

# an interface named with an escape sequence, listed by -D
ip netns add $A || { echo "SKIP escapes -D: no netns"; exit 0; }
ip -n $A link add "x${ESC}[2J" type veth peer name y0
ip netns exec $A "$P" -D >"$T/D.out" 2>&1
clean "-D: interface name escaped" "$T/D.out" 'x\x1b[2J'
