// SPDX-License-Identifier: BSD-3-Clause
/* Capture file reader for -r: pcap (usec/nsec magic, both byte orders, the modified
 * "Kuznetzov" format) and pcapng (draft-ietf-opsawg-pcapng: several sections of either byte
 * order, several IDBs, EPB/SPB/OPB, per-packet options including epb_processid_threadid,
 * procap's Process Information Blocks), plain or gzip (detected by content),
 * from a file or '-' (stdin).
 *
 * Malformed input: packets before the damage are delivered, then reader_next returns -1 and
 * reader_error() says what and where ("truncated block at offset 1234 (...)"). Memory grows
 * only as bytes actually arrive, and is capped as libpcap caps it: pcapng blocks larger than
 * READER_MAX_BLOCK and pcap records larger than READER_MAX_SNAPLEN are refused; a record
 * longer than its interface's snaplen (or READER_MAX_SNAPLEN, what Wireshark accepts) is cut
 * to it, so what procap writes from it is a file every reader takes. */
#ifndef PROCAP_READER_H
#define PROCAP_READER_H

#include <stdbool.h>
#include <stdint.h>

#include "packet.h"

#define READER_MAX_BLOCK	(16u << 20)	/* libpcap's pcapng limit */
#define READER_MAX_SNAPLEN	262144u		/* libpcap's and Wireshark's usual maximum */

struct reader;

enum reader_format { READER_PCAP, READER_PCAPNG };

/* One interface of the file. ids are unique across pcapng sections (renumbered in order of
 * appearance); a pcap file has exactly one, id 0. */
struct reader_iface {
	int linktype;		/* LINKTYPE_* (pcap: FCS bits masked off) */
	uint32_t snaplen;	/* as the file says; 0 = unknown/unlimited */
	const char *name;	/* if_name, NULL if none */
	const char *filter;	/* if_filter string (type 0), NULL if none */
	bool swapped;		/* its file/section is in the other byte order than this host's
				   (libpcap compiles DLT_NULL filters differently then) */
};

/* Opens path ('-' = stdin) and reads the file header. NULL on error with a one-line reason
 * (without "procap: FILE: ") in err. */
struct reader *reader_open(const char *path, char *err, size_t errlen);

/* Next packet into p (every field set; p->number left alone). p->data, p->ifname and
 * p->comment stay valid until the next call. Returns 1, 0 at a clean end of file, -1 on
 * error (see reader_error). */
int reader_next(struct reader *r, struct packet *p);

/* The last error as "what at offset N (details)"; "" if none. */
const char *reader_error(const struct reader *r);

enum reader_format reader_format(const struct reader *r);

/* Interfaces seen so far (grows as pcapng IDBs are read; a packet's if_id is always below). */
uint32_t reader_n_interfaces(const struct reader *r);
const struct reader_iface *reader_interface(const struct reader *r, uint32_t id);

/* For a packet without a comment that carries epb_processid_threadid (a file of another tool,
 * or procap's with comments off): its owner from the option (PID, TID) and from the latest
 * Process Information Block of that PID read so far (name, path, command line, parent PID,
 * uid), so -r prints COMM.PID. Packets with a comment or without the option are left alone. */
void reader_owner_from_options(const struct reader *r, struct packet *p);

/* TLS key log text of the Decryption Secrets Blocks read since the last call (they precede
 * the packets they decrypt), complete lines; 0 if none. Valid until the next reader_next. */
size_t reader_take_secrets(struct reader *r, const char **text);

/* The names of the Name Resolution Blocks read since the last call (NAMES_MAX at most); 0 if
 * none. Valid until the next reader_next. */
struct name_rec;
size_t reader_take_names(struct reader *r, const struct name_rec **recs);

void reader_close(struct reader *r);	/* NULL-safe */

#endif
