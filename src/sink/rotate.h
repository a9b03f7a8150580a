// SPDX-License-Identifier: BSD-3-Clause
/* The -w sink as the rest of procap sees it: a pcapng writer with the same API as
 * src/pcapng.h, that also rotates files as tcpdump does:
 *   -C size   a new file once the current one is larger than size bytes; names FILE, FILE1,
 *             FILE2...; with -W N the names are FILE0..FILE(N-1), zero-padded, reused as a ring.
 *   -G secs   FILE is a strftime(3) pattern (local time); a new file when a packet's timestamp
 *             is secs or more past the start of the current file. Packet timestamps, not the
 *             wall clock, drive it, so a replay (-r) rotates the same way every time.
 *             With -W N (and no -C) the capture stops after N files: write_packet returns
 *             PCAPNG_OUT_LIMIT for the packet that would have opened file N+1.
 *   -z cmd    after each file is closed (rotation and the final close), runs "cmd FILE" via
 *             fork/exec, no shell, not waited for.
 * Every file is a complete pcapng: its own SHB and all interfaces' IDBs. */
#ifndef PROCAP_ROTATE_H
#define PROCAP_ROTATE_H

#include "opts.h"
#include "packet.h"
#include "pcapng.h"

struct pcapng_out;

/* Returned (positive) by pcapng_out_write_packet when -G with -W reached its file count: the
 * packet was not written and the capture should end normally (tcpdump exits 0). */
#define PCAPNG_OUT_LIMIT 1

/* Opens the -w output described by o (write_file, rotate_size, rotate_secs, rotate_count,
 * rotate_cmd). With -G the first file is opened at the first packet (its name needs the
 * packet's time) or at close if there was none. NULL with a message printed on error. */
struct pcapng_out *pcapng_out_open(const struct options *o);

/* As pcapng_add_interface; the IDB is repeated in every later file. Returns id or -errno. */
int pcapng_out_add_interface(struct pcapng_out *out, const struct pcapng_if_info *ifi);

/* Rotates now if a packet of time ts_ns would (0, PCAPNG_OUT_LIMIT or -errno), so the caller
 * knows which file the packet goes to before writing it: pcapng_out_file_no() numbers the
 * files 1, 2, ... in the order they were opened (0 before the first -G file). */
int pcapng_out_prepare(struct pcapng_out *out, uint64_t ts_ns);
uint64_t pcapng_out_file_no(const struct pcapng_out *out);

/* As pcapng_write_packet, rotating first when due. 0, PCAPNG_OUT_LIMIT or -errno; after an
 * error a one-line message naming the file has been printed. */
int pcapng_out_write_packet(struct pcapng_out *out, const struct packet *p, const char *comment,
			    size_t comment_len);

/* pcapng_write_nrb into the current file (nothing before the first file is open). */
int pcapng_out_write_nrb(struct pcapng_out *out, const struct name_rec *recs, size_t n);

/* As pcapng_write_dsb, into the current file (a DSB is not repeated in later files). */
int pcapng_out_write_dsb(struct pcapng_out *out, uint32_t secrets_type, const void *data,
			 size_t len, const char *comment);

/* As pcapng_write_stats, into the current file. */
int pcapng_out_write_stats(struct pcapng_out *out, uint32_t if_id,
			   const struct pcapng_if_stats *st);

int pcapng_out_flush(struct pcapng_out *out);

/* Called by a live capture after every drained batch and on idle wakeups, with the realtime
 * clock: '-w -' is flushed at once (a reader of the pipe sees each batch), a file once a second
 * at most (tail -f and Wireshark see packets within about a second). Lowers *timeout_ms to when
 * the next call is due. Returns PCAPNG_OUT_LIMIT when -G with -W has filled its last file and
 * that file's time is up (the capture ends as the next packet would end it), 0 or -errno. */
int pcapng_out_timer(struct pcapng_out *out, uint64_t now_ns, int *timeout_ms);

/* Closes the current file (running -z) and frees out. NULL-safe. 0 or -errno. */
int pcapng_out_close(struct pcapng_out *out);

#endif
