// SPDX-License-Identifier: BSD-3-Clause
/* TLS secrets beside the packets. Secrets arrive as NSS key log lines (the SSLKEYLOGFILE
 * format: "LABEL <client random hex> <secret hex>") from a command's SSLKEYLOGFILE or from the
 * libssl uprobes, and go
 *   - into the -w file as Decryption Secrets Blocks (pcapng §4.7, type TLS key log), which
 *     Wireshark and tshark use with no further set-up, and
 *   - with --keylog-file, appended to a standard NSS key log file.
 * A reader applies a DSB to the packets after it, but a client learns its TLS 1.3 handshake
 * secrets only from the server's first flight, which was captured before. So from each
 * ClientHello (whose random names the connection) the packets for the file wait, for at most
 * TLSKEYS_HOLD_MS, until the connection's traffic secrets have been written; packets keep
 * their order. Files holding secrets are created 0600. */
#ifndef PROCAP_TLSKEYS_H
#define PROCAP_TLSKEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opts.h"
#include "packet.h"
#include "rotate.h"

#define TLSKEYS_HOLD_MS		2000		/* longest wait of a handshake for its secrets */
#define TLSKEYS_HOLD_BYTES	(64u << 20)	/* packets held at most; then the oldest go */

struct tlskeys;

/* The process that logged secrets; pid 0 = unknown (the ClientHello's owner is named). */
struct tlskeys_origin {
	uint32_t pid, tid;
	char comm[PROC_COMM_LEN];
};

/* Whether this capture records TLS secrets: --tls-keys, or -- CMD (unless --no-keylog) with
 * -w or --keylog-file. Files it writes are then created 0600. */
bool tlskeys_wanted(const struct options *o);

/* Whether a live capture has sources of TLS secrets at all: tlskeys_wanted, or -- CMD (unless
 * --no-keylog) with no file, whose secrets then serve live decryption only. */
bool tls_secrets_expected(const struct options *o);

/* w: the -w output or NULL; keylog_path: --keylog-file or NULL. NULL with a message printed
 * when the key log file cannot be opened. */
struct tlskeys *tlskeys_open(struct pcapng_out *w, const char *keylog_path);

/* A packet for the -w file: written now, or held behind a handshake that waits for its
 * secrets. Returns what pcapng_out_write_packet returns (for this or a released packet). */
int tlskeys_packet(struct tlskeys *tk, const struct packet *p, const char *comment);

/* Key log text (complete lines; others are ignored) logged by origin (NULL: unknown).
 * Writes the DSBs and key log lines, then releases the packets no longer waiting.
 * Returns 0, PCAPNG_OUT_LIMIT or -errno. */
int tlskeys_secrets(struct tlskeys *tk, const char *text, size_t len,
		    const struct tlskeys_origin *origin);

/* Releases packets whose handshake waited TLSKEYS_HOLD_MS (call about once a second). */
int tlskeys_tick(struct tlskeys *tk);

/* Writes every held packet and frees tk (not w). NULL-safe. 0 or the first error. */
int tlskeys_close(struct tlskeys *tk);

#endif
