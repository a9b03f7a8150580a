// SPDX-License-Identifier: BSD-3-Clause
/* procap's per-packet pcapng comment (EPB opt_comment): "Key: value" lines joined by "\n",
 * which Wireshark shows as is. Keys, in this order, each present only when known:
 *   PID, TID, Cmd (comm), Exe, Args, PPID, UID, Cgroup, Container (id), ContainerName, Image,
 *   Pod, PodNamespace, PodContainer (src/live/container.h), Source, SNI, JA4
 * "Source:" (cookie | tuple | proc | comm | none) is always written and marks the comment as
 * procap's. Values are escaped so each stays on its line: '\\' -> "\\\\", control bytes
 * -> "\\xHH". Example:
 *   PID: 1234\nTID: 1234\nCmd: curl\nExe: /usr/bin/curl\nArgs: curl -k https://192.0.2.1/\n
 *   PPID: 1\nUID: 0\nCgroup: /user.slice\nSource: cookie\nSNI: example.com\nJA4: t13d...
 * (the last line has no trailing newline). */
#ifndef PROCAP_COMMENT_H
#define PROCAP_COMMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packet.h"

#define COMMENT_MAX 2048	/* enough for every key at its maximum length */

/* proc.uid value meaning "not known" ((uid_t)-1 is never a real uid): no "UID:" line is
 * written, and comment_parse sets it when the comment has none. */
#define COMMENT_UID_UNKNOWN UINT32_MAX

/* Writes p->proc (when p->proc.valid; otherwise just "Source: none"), then SNI and JA4 when
 * non-NULL and non-empty, into buf (always NUL-terminated when len > 0, cut at a line boundary
 * if len is too small). Returns the length written. */
size_t comment_format(const struct packet *p, const char *sni, const char *ja4, char *buf,
		      size_t len);

/* The short comment of a packet whose flow already carried the full one in this file
 * (leancomment.h decides): only the lines that may change from packet to packet of one owner,
 *   PID, TID, Cmd, Container, Source
 * The other keys (Exe, Args, PPID, UID, Cgroup, SNI, JA4) are those of the flow's last full
 * comment with the same PID; procap's Wireshark plugin and -r read them from there. */
size_t comment_format_short(const struct packet *p, char *buf, size_t len);

/* The last few comments comment_format wrote, with their inputs. Packets come in runs of one
 * owner (a flood is one process), and formatting the same text again per packet cost more than
 * the rest of the -w path. A hit requires every input the text depends on to be equal, so the
 * text is byte-identical to a fresh comment_format(). */
struct comment_cache;

struct comment_cache *comment_cache_new(void);
void comment_cache_free(struct comment_cache *c);	/* NULL-safe */

/* comment_format(p, sni, ja4) (brief: comment_format_short(p)) into a COMMENT_MAX buffer, from
 * the cache when it holds the text for these inputs. The text stays valid until the next call
 * on c; *len (len may be NULL) gets its length. */
const char *comment_format_cached(struct comment_cache *c, const struct packet *p,
				  const char *sni, const char *ja4, bool brief, size_t *len);

/* If comment is procap's (only known "Key: value" lines, "Source:" among them), fills p->proc
 * (valid when an owner is named), sets p->procap_meta and returns true. Otherwise changes
 * nothing and returns false (a foreign comment stays in p->comment untouched).
 * comment_parse_ext also copies the SNI and JA4 values into sni/ja4 when non-NULL ("" when
 * absent; cut to the buffer length). */
bool comment_parse(const char *comment, struct packet *p);
bool comment_parse_ext(const char *comment, struct packet *p, char *sni, size_t sni_len,
		       char *ja4, size_t ja4_len);

#endif
