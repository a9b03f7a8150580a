#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Live decryption: procap -w F --print -- curl against openssl s_server -www (HTTP/1.x) and
# nghttpd (HTTP/2) in a namespace, for TLS 1.3 (AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305)
# and TLS 1.2 (ECDHE-RSA AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305). The reference is
# tshark's decryption of the same file with the key log curl wrote (--keylog-file): the request
# method and path and the response status on procap's live lines must equal tshark's http /
# http2 fields, and the same findings must come back on replay (-r F) and in --json; with
# --tls-keys and no file, curl's requests are decrypted from the uprobes' secrets.
set -u
NS=bth$$
. "$(dirname "$0")/live_lib.sh"
export TZ=UTC
need openssl curl tshark

netns_up
tls_server $B
CURL="curl -sk --max-time 10 --resolve lab.test:443:$B4 --resolve lab.test:8443:$B4"
H2=0
if command -v nghttpd >/dev/null; then
	mkdir -p "$T/www"
	echo hello >"$T/www/h2-tls13"
	echo hello >"$T/www/h2-tls12"
	ip netns exec $B nghttpd -d "$T/www" 8443 "$T/k.pem" "$T/c.pem" >/dev/null 2>&1 &
	PIDS+=($!)
	for i in $(seq 50); do
		ip netns exec $B ss -ltn 2>/dev/null | grep -q ':8443 ' && H2=1 && break
		sleep 0.1
	done
fi

# procap's findings as "METHOD PATH" / "STATUS" lines, in order
procap_h1() { grep -o ' http="[^"]*"' "$1" | sed -E 's/^ http="//; s/"$//' |
	awk '/^HTTP\//{print $2; next} {print $1, $2}'; }
procap_h2() { grep -o ' http2="[^"]*"' "$1" | sed -E 's/^ http2="//; s/"$//'; }
# (a response without a length ends at close: tshark shows its head only undesegmented)
tshark_h1() { tshark -r "$1" -o "tls.keylog_file:${1%.pcapng}.keys" -o http.desegment_body:FALSE \
	-Y http -T fields -e http.request.method -e http.request.uri \
	-e http.response.code 2>/dev/null | awk -F'\t' '$1 != "" {print $1, $2; next} {print $3}'; }
tshark_h2() { tshark -r "$1" -o "tls.keylog_file:${1%.pcapng}.keys" \
	-Y 'http2.headers.method or http2.headers.status' -T fields \
	-e http2.headers.method -e http2.headers.path -e http2.headers.status 2>/dev/null |
	awk -F'\t' '$1 != "" {print $1, $2; next} {print $3}'; }

# run NAME PROTO URL CURL-ARGS...: one live capture; checks against tshark and replay. A capture
# whose file lacks the request or the response (tshark sees fewer than 2 messages: packets the
# -- COMMAND process filter did not pass, see the stderr counters) is taken again, twice: that
# is not what this test checks.
run() {
	local name=$1 proto=$2 url=$3 try rc live ref replay
	shift 3
	for try in 1 2 3; do
		ip netns exec $A timeout 30 "$PROCAP" -n -w "$T/$name.pcapng" --print \
			--keylog-file "$T/$name.keys" -- \
			$CURL "$@" "$url" -o /dev/null >"$T/$name.out" 2>"$T/$name.err"
		rc=$?
		ref=$(tshark_$proto "$T/$name.pcapng")
		[ "$(echo "$ref" | grep -c .)" -ge 2 ] && break
		echo "# $name: the file holds only '$(echo $ref)' ($(grep -E 'received|passed' \
			"$T/$name.err" | tr '\n' ' ')): again"
		rm -f "$T/$name.keys"
	done
	check "${name}_exit" $rc 0
	live=$(procap_$proto "$T/$name.out")
	check_ge "${name}_tshark_decrypts" "$(echo "$ref" | grep -c .)" 2
	check "${name}_live_equals_tshark" "$live" "$ref"
	"$PROCAP" -n -r "$T/$name.pcapng" >"$T/$name.replay" 2>/dev/null
	replay=$(procap_$proto "$T/$name.replay")
	check "${name}_replay_equals_tshark" "$replay" "$ref"
}

run h1_tls13_aes128 h1 https://lab.test/p13a --http1.1 --tlsv1.3 \
	--tls13-ciphers TLS_AES_128_GCM_SHA256
run h1_tls13_aes256 h1 https://lab.test/p13b --http1.1 --tlsv1.3 \
	--tls13-ciphers TLS_AES_256_GCM_SHA384
run h1_tls13_chacha h1 https://lab.test/p13c --http1.1 --tlsv1.3 \
	--tls13-ciphers TLS_CHACHA20_POLY1305_SHA256
run h1_tls12_aes128 h1 https://lab.test/p12a --http1.1 --tls-max 1.2 \
	--ciphers ECDHE-RSA-AES128-GCM-SHA256
run h1_tls12_aes256 h1 https://lab.test/p12b --http1.1 --tls-max 1.2 \
	--ciphers ECDHE-RSA-AES256-GCM-SHA384
run h1_tls12_chacha h1 https://lab.test/p12c --http1.1 --tls-max 1.2 \
	--ciphers ECDHE-RSA-CHACHA20-POLY1305
if [ "$H2" = 1 ]; then
	run h2_tls13 h2 https://lab.test:8443/h2-tls13 --http2
	run h2_tls12 h2 https://lab.test:8443/h2-tls12 --http2 --tls-max 1.2 \
		--ciphers ECDHE-RSA-AES128-GCM-SHA256
	check h2_tls13_path "$(procap_h2 "$T/h2_tls13.out" | head -1)" "GET /h2-tls13"
	check h2_tls13_status "$(procap_h2 "$T/h2_tls13.out" | sed -n 2p)" "200"
	check h2_tls13_authority "$(grep -o ' authority=[^ ]*' "$T/h2_tls13.out" | head -1)" \
		" authority=lab.test:8443"
else
	echo "SKIP h2: nghttpd missing (package nghttp2-server)"
fi
# keys after the records: the file's DSB moved behind the request (python rewrites the blocks):
# the request's records wait, are opened once the keys come, and the request is shown on a
# later packet of the connection (the response's); the messages are still tshark's
python3 - "$T/h1_tls13_aes128.pcapng" "$T/late.pcapng" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
blocks, o = [], 0
while o < len(d):
    t, l = struct.unpack_from('<II', d, o)
    blocks.append((t, d[o:o + l]))
    o += l
dsb = [b for t, b in blocks if t == 10]
rest = [(t, b) for t, b in blocks if t != 10]
epbs = [i for i, (t, b) in enumerate(rest) if t == 6]
# the last large packet is the response; the request is before it
big = [i for i in epbs if len(rest[i][1]) > 200]
at = big[-1]
# a DSB of another connection up front: decryption is on from the first packet (on replay it
# starts with the first secrets)
line = b'CLIENT_RANDOM ' + b'ab' * 32 + b' ' + b'cd' * 48 + b'\n'
body = struct.pack('<II', 0x544c534b, len(line)) + line + b'\0' * (-len(line) % 4)
first = struct.pack('<II', 10, 12 + len(body)) + body + struct.pack('<I', 12 + len(body))
shb_idb = [b for t, b in rest[:epbs[0]]]
out = shb_idb + [first] + [b for t, b in rest[epbs[0]:at]] + dsb + [b for t, b in rest[at:]]
open(sys.argv[2], 'wb').write(b''.join(out))
PY
"$PROCAP" -n -r "$T/late.pcapng" >"$T/late.out" 2>/dev/null
check late_keys_messages "$(procap_h1 "$T/late.out")" "$(tshark_h1 "$T/h1_tls13_aes128.pcapng")"
check late_keys_request_shown_later "$(grep -c ' http="GET /p13a HTTP/1.1" host=lab.test http="HTTP' \
	"$T/late.out")" 1

check h1_tls13_aes128_line "$(procap_h1 "$T/h1_tls13_aes128.out" | head -1)" "GET /p13a"
# the findings name the process: curl's request line is on a line of curl's
check_ge h1_request_on_curl_line "$(grep ' http="GET /p13a' "$T/h1_tls13_aes128.out" | \
	grep -c 'curl')" 1

# --json: the same request and status as objects (taken again, up to twice, if the process filter
# kept the response out, as above)
for try in 1 2 3; do
	ip netns exec $A timeout 30 "$PROCAP" -n --json -- $CURL --http1.1 https://lab.test/pj \
		-o /dev/null >"$T/j.out" 2>"$T/j.err"
	rc=$?
	grep -q '"status":200' "$T/j.out" && break
	echo "# json: no response in the capture ($(grep -E 'received|passed' "$T/j.err" |
		tr '\n' ' ')): again"
done
check json_exit $rc 0
check json_request "$(grep -c '"method":"GET","path":"/pj"' "$T/j.out")" 1
check_ge json_status "$(grep -c '"status":200' "$T/j.out")" 1
# the request's object is on a packet of curl's (pid and comm of the line's process)
check json_request_process "$(grep '"path":"/pj"' "$T/j.out" | grep -c '"comm":"curl"')" 1

# --tls-keys alone (no -w): secrets from the libssl uprobes, decrypted system-wide
start_procap keys $A -n --tls-keys
pp=$LAST_PID
ip netns exec $A $CURL --http1.1 https://lab.test/sys13 -o /dev/null
ip netns exec $A $CURL --http1.1 --tls-max 1.2 https://lab.test/sys12 -o /dev/null
sleep 0.5
stop $pp
# (a request whose secrets the uprobes' ring had not yet given is shown on a later packet of
# its connection, maybe the server's)
check tls_keys_requests "$(grep -o ' http="GET [^"]*"' "$T/keys.out" |
	sed -E 's/.* http="GET ([^ ]*) .*/\1/' | tr '\n' ' ')" "/sys13 /sys12 "
[ "$(grep -c ' http="GET' "$T/keys.out")" = 2 ] || echo "# tls_keys: $(grep -c . "$T/keys.out") lines: $(
	sed -E 's/^[^ ]+ [^ ]+ ([^ ]+) ([^ ]+) .*length ([0-9]+)(.*)/\1 \2 \3\4/' "$T/keys.out" |
	tr '\n' ',')"
check tls_keys_statuses "$(grep -c ' http="HTTP/1.0 200 ok"' "$T/keys.out")" 2

# no key log, no decryption
ip netns exec $A timeout 30 "$PROCAP" -n --no-keylog -- $CURL --http1.1 https://lab.test/pn \
	-o /dev/null >"$T/n.out" 2>"$T/n.err"
check no_keylog_no_findings "$(grep -c ' http="' "$T/n.out")" 0
