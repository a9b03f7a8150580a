#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# TLS secrets in the pcapng (Decryption Secrets Blocks), checked with tshark given no key file:
#  1. procap -w F -- curl (HTTP/1.1 to openssl s_server, HTTP/2 to nghttpd): the command's
#     SSLKEYLOGFILE is procap's FIFO; tshark decrypts the request path from F alone, and
#     --keylog-file holds the same lines as curl's own key log would (compared with a second
#     curl run's SSLKEYLOGFILE is not possible: instead every line's random must be a
#     ClientHello random tshark decoded from F).
#  2. --tls-keys: a Python client (ssl on libssl.so.3) started before procap and one started
#     after it; both connections decrypt from F alone, the DSB comments name each client's PID,
#     and the derived lines equal what Python's own SSLKEYLOGFILE wrote (the reference); the
#     same for curl with a SHA-256 suite (32-byte secrets).
#  3. chromium -- SSLKEYLOGFILE through -- COMMAND: its post-quantum TLS 1.3 connection decrypts.
#  4. Files with secrets are created 0600.
set -u
NS=btk$$
. "$(dirname "$0")/live_lib.sh"
export TZ=UTC
need openssl curl tshark python3
PY=/usr/bin/python3

netns_up
tls_server $B
srv=$LAST_PID
CURL="curl -sk --max-time 10 --resolve lab.test:443:$B4"

# ---- 1. -- curl, HTTP/1.1 ----
ip netns exec $A timeout 30 "$PROCAP" -n -w "$T/h1.pcapng" --keylog-file "$T/h1.keys" -- \
	$CURL --http1.1 https://lab.test/path-h1 -o /dev/null 2>"$T/h1.err"
check cmd_h1_exit $? 0
check cmd_h1_tshark_path "$(fields "$T/h1.pcapng" http.request 'http.request.uri')" /path-h1
check cmd_h1_mode "$(stat -c %a "$T/h1.pcapng")" 600
check cmd_keylog_mode "$(stat -c %a "$T/h1.keys")" 600
# every key log line belongs to a ClientHello of the capture
randoms=$(fields "$T/h1.pcapng" "tls.handshake.type == 1" tls.handshake.random | sort -u)
klines=$(grep -c '^[A-Z_0-9]* [0-9a-f]\{64\} ' "$T/h1.keys")
kbad=$(grep -v '^#' "$T/h1.keys" | awk '{print $2}' | sort -u | grep -vxF "$randoms" | wc -l)
check_ge cmd_keylog_lines "$klines" 5
check cmd_keylog_randoms_match "$kbad" 0
# no FIFO directory is left behind
check cmd_fifo_removed "$(ls -d /tmp/procap-keys-* 2>/dev/null | wc -l)" 0

# ---- 1b. -- curl, HTTP/2 (nghttpd) ----
if command -v nghttpd >/dev/null; then
	ip netns exec $B nghttpd -d "$T" 8443 "$T/k.pem" "$T/c.pem" >/dev/null 2>&1 &
	PIDS+=($!)
	for i in $(seq 50); do
		ip netns exec $B ss -ltn 2>/dev/null | grep -q ':8443 ' && break
		sleep 0.1
	done
	echo hello >"$T/path-h2"
	ip netns exec $A timeout 30 "$PROCAP" -n -w "$T/h2.pcapng" -- \
		$CURL --resolve lab.test:8443:$B4 --http2 https://lab.test:8443/path-h2 -o /dev/null \
		2>"$T/h2.err"
	check cmd_h2_exit $? 0
	check cmd_h2_tshark_path \
		"$(fields "$T/h2.pcapng" 'http2.header.name == ":path"' http2.header.value | tr ',' '\n' | grep -x /path-h2)" \
		/path-h2
else
	echo "SKIP cmd_h2: nghttpd missing (package nghttp2-server)"
fi

# ---- 2. --tls-keys: Python clients started before and after procap ----
cat >"$T/client.py" <<'EOF'
import socket, ssl, sys, time
# waits for the go file, then GET path over TLS (verification off: a lab certificate)
go, path, host = sys.argv[1], sys.argv[2], sys.argv[3]
for _ in range(200):
    try:
        open(go).close(); break
    except OSError:
        time.sleep(0.05)
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
ctx.keylog_filename = sys.argv[4]
with socket.create_connection((host, 443), timeout=10) as s:
    with ctx.wrap_socket(s, server_hostname="lab.test") as t:
        t.sendall(b"GET " + path.encode() + b" HTTP/1.0\r\nHost: lab.test\r\n\r\n")
        while t.recv(65536):
            pass
EOF
ip netns exec $A $PY "$T/client.py" "$T/go1" /early "$B4" "$T/early.ref" &
early=$!
PIDS+=($early)
# one more started before procap, whose libssl.so.3 is then replaced (as by a package upgrade:
# its mapping shows "(deleted)")
mkdir "$T/lib"
cp "$($PY -c 'import _ssl; print(_ssl.__file__)' | xargs ldd | awk '/libssl.so.3/{print $3}')" "$T/lib/"
ip netns exec $A env LD_LIBRARY_PATH="$T/lib" $PY "$T/client.py" "$T/go1" /replaced "$B4" \
	"$T/replaced.ref" &
replaced=$!
PIDS+=($replaced)
sleep 0.5	# the clients run (libssl mapped) before procap starts
rm "$T/lib/libssl.so.3"
check_ge sys_replaced_lib_deleted "$(grep -c "$T/lib/libssl.so.3 (deleted)" /proc/$replaced/maps)" 1
start_procap keys $A -n -w "$T/sys.pcapng" --tls-keys --keylog-file "$T/sys.keys"
pp=$LAST_PID
touch "$T/go1"
wait $early $replaced
ip netns exec $A $PY "$T/client.py" "$T/go1" /late "$B4" "$T/late.ref" &
late=$!
PIDS+=($late)
wait $late
sleep 0.5
stop $pp
grep -q "not an OpenSSL 3.0 build" "$T/keys.err" && echo "note: $(grep -m1 'not an OpenSSL' "$T/keys.err")"
check sys_tshark_paths "$(fields "$T/sys.pcapng" http.request http.request.uri | sort | tr '\n' ' ')" \
	"/early /late /replaced "
check sys_mode "$(stat -c %a "$T/sys.pcapng")" 600
# procap's lines for each client equal the client's own SSLKEYLOGFILE (label, random, secret)
for who in early late replaced; do
	want=$(grep -v '^#' "$T/$who.ref" | sort)
	r=$(awk '!/^#/{print $2; exit}' "$T/$who.ref")
	got=$(grep -v '^#' "$T/sys.keys" | grep " $r " | sort)
	check "sys_${who}_lines_equal_python" "$got" "$want"
done
# the DSB comment names the process whose connection the keys are (python reads the pcapng)
dsb_pids=$($PY - "$T/sys.pcapng" <<'EOF'
import struct, sys
d = open(sys.argv[1], 'rb').read(); off = 0; out = []
while off + 12 <= len(d):
    t, l = struct.unpack_from('<II', d, off)
    if t == 10:
        n = struct.unpack_from('<I', d, off + 12)[0]
        o = off + 16 + ((n + 3) & ~3)
        while o + 4 <= off + l - 4:
            c, ln = struct.unpack_from('<HH', d, o)
            if c == 0: break
            if c == 1:
                for line in d[o + 4:o + 4 + ln].decode().splitlines():
                    if line.startswith('PID: '): out.append(line[5:])
            o += 4 + ((ln + 3) & ~3)
    off += l
print(' '.join(out))
EOF
)
check sys_dsb_pids "$(echo $dsb_pids | tr ' ' '\n' | sort -n | tr '\n' ' ')" \
	"$(printf '%s\n' $early $replaced $late | sort -n | tr '\n' ' ')"

# --tls-keys with SHA-256 (TLS_AES_128_GCM_SHA256: 32-byte secrets) against curl's own key log
ip netns exec $A timeout 30 "$PROCAP" -n -w "$T/c256.pcapng" --tls-keys --no-keylog \
	--keylog-file "$T/c256.keys" -- env SSLKEYLOGFILE="$T/c256.ref" \
	$CURL --tls13-ciphers TLS_AES_128_GCM_SHA256 https://lab.test/sha256 -o /dev/null 2>"$T/c256.err"
check sys_sha256_lines_equal_curl "$(grep -v '^#' "$T/c256.keys" | sort)" \
	"$(grep -v '^#' "$T/c256.ref" | sort)"
check sys_sha256_tshark_path "$(fields "$T/c256.pcapng" http.request http.request.uri)" /sha256

# ---- 3. chromium through -- COMMAND ----
if command -v chromium >/dev/null; then
	ip netns exec $A timeout 60 "$PROCAP" -n -w "$T/cr.pcapng" -- chromium --headless \
		--no-sandbox --disable-gpu --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --ignore-certificate-errors \
		--user-data-dir="$T/chrome" --host-resolver-rules="MAP lab.test $B4" \
		--dump-dom https://lab.test/chromium-path >/dev/null 2>"$T/cr.err"
	check_ge chromium_pq_group \
		"$(fields "$T/cr.pcapng" 'tls.handshake.type == 1' tls.handshake.extensions_key_share_group | grep -c 4588)" 1
	check chromium_tshark_path "$(fields "$T/cr.pcapng" http.request http.request.uri | head -1)" \
		/chromium-path
else
	echo "SKIP chromium_keys: chromium missing"
fi
kill $srv 2>/dev/null
