// SPDX-License-Identifier: BSD-3-Clause
/* pcapng writer (draft-ietf-opsawg-pcapng): one file, opaque handle in the xdp-tools mould
 * (open / add_interface / write_packet / write_stats / flush / close).
 *
 * Every block is built whole in memory (lengths known before the first byte is written, no
 * seek-back) and appended to an output buffer that only ever holds complete blocks, so the file
 * ends on a block boundary on every exit path. On a failed or short write (ENOSPC, EPIPE) the
 * writer cuts a regular file back to its last complete block with ftruncate(), remembers the
 * error and returns it (-errno) from every later call. (gzip output cannot be cut back: after a
 * failed write a .gz file ends in a cut gzip stream; its complete blocks still decompress.) */
#ifndef PROCAP_PCAPNG_H
#define PROCAP_PCAPNG_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "names.h"
#include "packet.h"

struct pcapng_writer;

/* Process Information Block (--pib), as Wireshark's development branch reads it: a Custom
 * Block (type 0x00000BAD, copyable) with Private Enterprise Number 32622 (Wireshark), then a
 * 32-bit entry type 3, the 32-bit PID, and options: 2 name (comm), 3 path (exe), 4 command
 * line, 5 parent PID (u32), 6 user id (u32), each only when known. */
#define PCAPNG_PEN_WIRESHARK	32622
#define PCAPNG_PIB_ENTRY_TYPE	3
enum { PCAPNG_PIB_NAME = 2, PCAPNG_PIB_PATH = 3, PCAPNG_PIB_CMDLINE = 4, PCAPNG_PIB_PPID = 5,
       PCAPNG_PIB_UID = 6 };

/* Value of a pcapng_if_stats field that is not known: the option is left out of the ISB. */
#define PCAPNG_UNKNOWN UINT64_MAX

struct pcapng_if_info {
	const char *name;	/* if_name, NULL = none */
	int linktype;		/* LINKTYPE_* */
	uint32_t snaplen;	/* 0 = no limit */
	const char *filter;	/* if_filter (type 0: libpcap expression), NULL = none */
};

/* Interface Statistics Block contents; PCAPNG_UNKNOWN fields are omitted. starttime/endtime
 * (realtime ns) default to the first/last packet the writer saw on that interface. */
struct pcapng_if_stats {
	uint64_t starttime_ns, endtime_ns;
	uint64_t ifrecv, ifdrop, filteraccept, osdrop, usrdeliv;
};

/* Sets every field of st to PCAPNG_UNKNOWN. */
void pcapng_stats_init(struct pcapng_if_stats *st);

/* Opens path for writing ('-' = stdout; a name ending in ".gz" is gzip-compressed) and writes
 * the SHB (shb_hardware, shb_os from uname, shb_userappl "procap VERSION").
 * The file is created with O_NOFOLLOW|O_CLOEXEC, mode 0600 (truncated and narrowed to 0600 if
 * it exists): its comments hold command lines, maybe TLS secrets (tcpdump creates 0644).
 * Returns NULL with errno set on failure. */
struct pcapng_writer *pcapng_open(const char *path);

/* pcapng_open with the given creation mode; an existing regular file is narrowed to it too
 * (0600 for a file that will hold TLS secrets). */
struct pcapng_writer *pcapng_open_mode(const char *path, mode_t mode);

/* Same on an already open descriptor, which the writer owns from then on (closed by
 * pcapng_close unless it is 0, 1 or 2). */
struct pcapng_writer *pcapng_fdopen(int fd, bool gzip);

/* Writes an IDB (if_name, if_tsresol = 9, if_filter, snaplen). Returns the interface id
 * (0, 1, ... in call order) or -errno. */
int pcapng_add_interface(struct pcapng_writer *w, const struct pcapng_if_info *ifi);

/* Writes an EPB for p on interface p->if_id (a value add_interface returned): timestamp
 * p->ts_ns, p->data[0..cap_len), wire_len, epb_flags from p->dir, epb_packetid and
 * epb_dropcount when p->has_*, epb_processid_threadid (option 8: PID, TID) from p->proc when
 * it names an owner (else from p->epb_pid/epb_tid when p->has_epb_pid), and opt_comment =
 * comment when comment is non-NULL and non-empty (comment_len: its strlen, which the caller
 * mostly knows already). With PIBs on, a PIB describing p->proc goes before the EPB when this
 * file has none for that owner yet. Returns 0 or -errno. */
int pcapng_write_packet(struct pcapng_writer *w, const struct packet *p, const char *comment,
			size_t comment_len);

/* Process Information Blocks on (off by default): tshark 4.0 shows each as an extra
 * "PCAPNG Custom Block" frame, which shifts every later frame number. */
void pcapng_set_pib(struct pcapng_writer *w, bool on);

/* Decryption Secrets Block (§4.7): secrets_type (PCAPNG_DSB_TLS_KEYLOG: NSS key log lines),
 * data[0..len) and an optional opt_comment. Readers use the secrets for the packets after it.
 * Returns 0 or -errno (-EMSGSIZE above PCAPNG_DSB_MAX bytes). */
#define PCAPNG_DSB_TLS_KEYLOG	0x544c534bu	/* "TLSK" */
#define PCAPNG_DSB_MAX		(1u << 20)
int pcapng_write_dsb(struct pcapng_writer *w, uint32_t secrets_type, const void *data,
		     size_t len, const char *comment);

/* Name Resolution Block (§4.5): one IPv4/IPv6 record per entry (the address, then the name
 * NUL-terminated), so Wireshark shows the names procap learned. n = 0 writes nothing.
 * Returns 0 or -errno. */
int pcapng_write_nrb(struct pcapng_writer *w, const struct name_rec *recs, size_t n);

/* Writes an ISB for interface if_id; st may be NULL (times only). Returns 0 or -errno. */
int pcapng_write_stats(struct pcapng_writer *w, uint32_t if_id, const struct pcapng_if_stats *st);

/* Pushes buffered blocks to the file. Returns 0 or -errno. */
int pcapng_flush(struct pcapng_writer *w);

/* Bytes of complete blocks written so far (buffered included): the file size after a flush. */
uint64_t pcapng_size(const struct pcapng_writer *w);

/* Flushes and closes (no ISB: call write_stats first). NULL-safe. Returns 0 or the first
 * -errno this writer met. */
int pcapng_close(struct pcapng_writer *w);

#endif
