// SPDX-License-Identifier: BSD-3-Clause
/* The sinks every packet goes through, live or replayed: dissectors, then text (tcpdump lines),
 * --json, --summary and the pcapng writer (-w), as the options select. */
#ifndef PROCAP_OUTPUT_H
#define PROCAP_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include "opts.h"
#include "packet.h"

struct output;

/* Counters for the exit report and the pcapng ISB. */
struct capture_stats {
	uint64_t seen;		/* packets the capture programs saw */
	uint64_t filtered;	/* packets that passed the filter */
	uint64_t captured;	/* packets delivered to userspace */
	uint64_t dropped;	/* ring-buffer-full drops */
};

/* Opens the sinks chosen by o. NULL on error (message already printed). */
struct output *output_open(const struct options *o);

/* Declares an interface before its first packet; returns its id (pcapng IDB index) or -1 on
 * error. linktype is a LINKTYPE_* value. Called again with the same name returns the same id. */
int output_add_interface(struct output *out, const char *ifname, int linktype, uint32_t snaplen);

/* One packet; p->if_id must be a value returned by output_add_interface.
 * Returns 0, or -errno when a sink failed (the caller stops the capture and exits non-zero). */
int output_packet(struct output *out, struct packet *p);

/* A name for the address learned outside the packets: a process's resolver result
 * (--resolver-names) or a Name Resolution Block of the file read (src, enum name_source). The
 * packets to and from it are named from now on, the next -w block is a Name Resolution Block
 * with it. ver 4 or 6, addr in network order. */
void output_name(struct output *out, uint8_t ver, const uint8_t *addr, const char *name,
		 int src);

/* The clock moved to now_ns (realtime) with no packet (live capture's idle wakeups): idle
 * flows end, --top redraws. */
void output_time(struct output *out, uint64_t now_ns);

/* A process exec or exit (--events). */
struct proc_event;
void output_proc_event(struct output *out, const struct proc_event *ev);

/* TLS secrets as NSS key log text (tlskeys.h); origin may be NULL. 0 when secrets are not
 * recorded; PCAPNG_OUT_LIMIT or -errno as output_packet. */
struct tlskeys_origin;
int output_tls_secrets(struct output *out, const char *text, size_t len,
		       const struct tlskeys_origin *origin);

/* Live decryption reads the secrets sources through fn(arg) when a record needs keys not yet
 * read (tls_decrypt_set_source). */
void output_set_secrets_source(struct output *out, void (*fn)(void *arg), void *arg);

/* Periodic work (about once a second): packets held for TLS secrets that waited too long. */
int output_tick(struct output *out);

/* Flush buffered output (on SIGUSR1, or periodically for -l). */
void output_flush(struct output *out);

/* Live capture, after every drained batch and on idle wakeups (now_ns realtime): printed lines
 * are flushed, -w as pcapng_out_timer() says (rotate.h). Lowers *timeout_ms to when the next
 * call is due. 0, PCAPNG_OUT_LIMIT (-G/-W: the capture is complete) or -errno (-EPIPE: the
 * reader of stdout went away). */
int output_timer(struct output *out, uint64_t now_ns, int *timeout_ms);

/* Writes the ISB with st (may be NULL) and closes everything. Returns 0 or -errno. */
int output_close(struct output *out, const struct capture_stats *st);

#endif
