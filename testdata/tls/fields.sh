#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# hello-fields.tsv: tshark's decode of every ClientHello/ServerHello frame of testdata/tls
# (independent reference for tests/unit/test_tls.c). Columns: file, frame, first handshake
# type, ALPN list, cipher suite(s), supported_versions, extension types, TCP segment count,
# legacy_version(s).
cd "$(dirname "$0")"
printf 'file\tframe\ttype\talpn\tciphers\tversions\texts\tsegments\tlegacy\n'
for f in *.pcap; do
	[ "$f" = chromium-pq-ooo.pcap ] && continue
	tshark -n -r "$f" -Y 'tls.handshake.type == 1 || tls.handshake.type == 2' -T fields \
		-E aggregator=, -E occurrence=a -e frame.number -e tls.handshake.type \
		-e tls.handshake.extensions_alpn_str -e tls.handshake.ciphersuite \
		-e tls.handshake.extensions.supported_version -e tls.handshake.extension.type \
		-e tcp.segment.count -e tls.handshake.version 2>/dev/null | sed "s|^|$f\t|"
done
