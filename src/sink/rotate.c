// SPDX-License-Identifier: BSD-3-Clause
/* -w with tcpdump's rotation options (-C, -G, -W, -z) on top of the single-file pcapng writer.
 * File naming follows tcpdump(8): -C appends a counter (FILE, FILE1, ... or, with -W N,
 * FILE0..FILE(N-1) zero-padded to the digits of N-1); -G runs FILE through strftime(3). */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "privs.h"
#include "rotate.h"
#include "tlskeys.h"
#include "util.h"

struct pcapng_out {
	const char *pattern;		/* -w FILE */
	uint64_t size_limit;		/* -C, bytes; 0 = none */
	uint32_t secs;			/* -G; 0 = none */
	uint32_t count;			/* -W; 0 = none */
	const char *cmd;		/* -z */
	struct child_ids cmd_ids;	/* -z runs as the invoking or -Z user (privs.h) */
	const char *filter;		/* recorded in every IDB */

	struct pcapng_writer *w;	/* current file, NULL before the first -G file */
	char name[PATH_MAX];		/* its name */
	uint32_t size_index;		/* -C counter within the current -G window */
	uint32_t windows;		/* -G windows opened so far */
	uint64_t window_start_ns;	/* timestamp that opened the current -G window */
	int err;			/* sticky -errno */
	mode_t mode;			/* of new files */
	bool pib;			/* --pib: Process Information Blocks in every file */
	uint64_t files;			/* files opened so far (pcapng_out_file_no) */
	/* latency (rotate.h: pcapng_out_timer) */
	bool per_packet;		/* -U: flushed after every packet */
	bool to_stdout;			/* -w -: flushed after every drained batch */
	bool unflushed;			/* packets written since the last flush */
	bool limit_told;		/* "Maximum file limit reached" printed */
	uint64_t last_flush_ns;

	struct pcapng_if_info *ifs;	/* every interface, for the IDBs of each new file */
	uint32_t n_ifs;
};

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* tcpdump's width for -W counters: the number of digits of count - 1 (0 for -W 1). */
static int counter_width(uint32_t count)
{
	int w = 0;
	for (uint32_t x = count ? count - 1 : 0; x > 0; x /= 10)
		w++;
	return w;
}

static int make_name(struct pcapng_out *out, char *buf, size_t len)
{
	char base[PATH_MAX];

	if (out->secs) {
		time_t t = (time_t)(out->window_start_ns / 1000000000u);
		struct tm tm;
		if (!localtime_r(&t, &tm))
			return -EINVAL;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"	/* the user's -w pattern, as tcpdump */
		size_t n = strftime(base, sizeof(base), out->pattern, &tm);
#pragma GCC diagnostic pop
		if (n == 0)
			return -ENAMETOOLONG;
	} else {
		snprintf(base, sizeof(base), "%s", out->pattern);
	}
	if (!out->size_limit)
		return snprintf(buf, len, "%s", base) < (int)len ? 0 : -ENAMETOOLONG;
	int width = counter_width(out->count);
	if (out->size_index == 0 && (width == 0 || !out->count))
		return snprintf(buf, len, "%s", base) < (int)len ? 0 : -ENAMETOOLONG;
	return snprintf(buf, len, "%s%0*u", base, out->count ? width : 0, out->size_index) <
			       (int)len ? 0 : -ENAMETOOLONG;
}

/* -z: "cmd FILE", no shell, not waited for. A middle child forks the command and exits at
 * once, so procap reaps it immediately and the command is never left a zombie. */
static void run_post_cmd(const char *cmd, const struct child_ids *ids, const char *file)
{
	pid_t mid = fork();

	if (mid < 0) {
		pr_warn("-z %s: fork: %s\n", cmd, strerror(errno));
		return;
	}
	if (mid == 0) {
		pid_t pid = fork();
		if (pid == 0) {
			char *argv[] = { (char *)cmd, (char *)file, NULL };
			/* its own session: a ^C aimed at procap must not kill a half-done gzip;
			 * and the default SIGPIPE, which procap ignores for itself */
			setsid();
			signal(SIGPIPE, SIG_DFL);
			/* the file (0600, procap's) goes to the user who processes it */
			if (geteuid() == 0 && ids->uid != 0 && lchown(file, ids->uid, ids->gid))
				fprintf(stderr, "procap: -z: chown %s: %s\n", file, strerror(errno));
			if (privs_child_apply(ids))
				_exit(127);
			execvp(cmd, argv);
			fprintf(stderr, "procap: -z %s: %s\n", cmd, strerror(errno));
			_exit(127);
		}
		_exit(pid < 0 ? 1 : 0);
	}
	while (waitpid(mid, NULL, 0) < 0 && errno == EINTR)
		;
}

static int fail(struct pcapng_out *out, int err)
{
	/* EPIPE on stdout is a reader going away (| head): a clean stop, not an error */
	if (!(err == -EPIPE && strcmp(out->pattern, "-") == 0))
		pr_warn("%s: %s\n", out->name[0] ? out->name : out->pattern, strerror(-err));
	out->err = err;
	return err;
}

/* Ends the current file: an ISB with the times of its packets per interface, then close and
 * -z. Returns 0 or -errno. */
static int close_file(struct pcapng_out *out, bool with_isb)
{
	int rc = 0;

	if (!out->w)
		return 0;
	for (uint32_t i = 0; with_isb && i < out->n_ifs && !rc; i++)
		rc = pcapng_write_stats(out->w, i, NULL);
	int crc = pcapng_close(out->w);
	out->w = NULL;
	if (!rc)
		rc = crc;
	if (rc)
		return fail(out, rc);
	if (out->cmd)
		run_post_cmd(out->cmd, &out->cmd_ids, out->name);
	return 0;
}

static int open_file(struct pcapng_out *out)
{
	int rc = make_name(out, out->name, sizeof(out->name));

	if (rc) {
		pr_warn("%s: output file name too long\n", out->pattern);
		out->err = rc;
		return rc;
	}
	out->w = pcapng_open_mode(out->name, out->mode);
	if (!out->w && errno == ELOOP) {
		/* O_NOFOLLOW met a symlink: say why instead of "Too many levels of symbolic links" */
		pr_warn("%s: is a symbolic link; procap does not write through one (remove it or "
			"choose another name)\n", out->name);
		out->err = -ELOOP;
		return -ELOOP;
	}
	if (!out->w)
		return fail(out, -errno);
	out->files++;
	pcapng_set_pib(out->w, out->pib);
	for (uint32_t i = 0; i < out->n_ifs; i++) {
		rc = pcapng_add_interface(out->w, &out->ifs[i]);
		if (rc < 0)
			return fail(out, rc);
	}
	return 0;
}

struct pcapng_out *pcapng_out_open(const struct options *o)
{
	struct pcapng_out *out = xcalloc(1, sizeof(*out));

	out->pattern = o->write_file;
	out->mode = 0600;	/* command lines, TLS secrets: the owner's only (tcpdump: 0644) */
	out->size_limit = o->rotate_size;
	out->secs = o->rotate_secs;
	out->count = o->rotate_count;
	out->cmd = o->rotate_cmd;
	if (out->cmd && privs_child_ids(o->user, &out->cmd_ids)) {
		free(out);
		return NULL;
	}
	out->pib = o->pib;
	out->per_packet = o->packet_buffered;
	out->to_stdout = strcmp(out->pattern, "-") == 0;
	out->filter = o->filter;
	if (has_suffix(out->pattern, ".pcap") || has_suffix(out->pattern, ".pcap.gz")) {
		pr_warn("%s: procap writes pcapng (its process data needs it); name the file "
			".pcapng (tcpdump -r, tshark and Wireshark read it)\n", out->pattern);
		free(out);
		return NULL;
	}
	if ((out->size_limit || out->secs) && strcmp(out->pattern, "-") == 0) {
		pr_warn("-C and -G need a file name, not '-'\n");
		free(out);
		return NULL;
	}
	/* -G names the file after its first packet's time, so it is opened with that packet */
	if (!out->secs && open_file(out)) {
		free(out);
		return NULL;
	}
	return out;
}

int pcapng_out_add_interface(struct pcapng_out *out, const struct pcapng_if_info *ifi)
{
	struct pcapng_if_info *copy;

	if (out->err)
		return out->err;
	out->ifs = xrealloc(out->ifs, (out->n_ifs + 1) * sizeof(*out->ifs));
	copy = &out->ifs[out->n_ifs];
	copy->name = ifi->name ? xstrdup(ifi->name) : NULL;
	copy->linktype = ifi->linktype;
	copy->snaplen = ifi->snaplen;
	copy->filter = ifi->filter ? xstrdup(ifi->filter) : NULL;
	if (out->w) {
		int rc = pcapng_add_interface(out->w, copy);
		if (rc < 0)
			return fail(out, rc);
	}
	return (int)out->n_ifs++;
}

/* -G with -W: the files are complete; tcpdump's words on stderr, once. */
static int file_limit(struct pcapng_out *out)
{
	if (!out->limit_told)
		fprintf(stderr, "Maximum file limit reached: %u\n", out->count);
	out->limit_told = true;
	return PCAPNG_OUT_LIMIT;
}

/* Opens the next file when the time window or the size says so. 0, PCAPNG_OUT_LIMIT, -errno. */
static int rotate_if_due(struct pcapng_out *out, uint64_t ts_ns)
{
	bool new_window = false, new_size = false;

	if (out->secs) {
		if (!out->windows)
			new_window = true;
		else if (ts_ns >= out->window_start_ns &&
			 ts_ns - out->window_start_ns >= (uint64_t)out->secs * 1000000000u)
			new_window = true;
	}
	if (!new_window && out->size_limit && out->w && pcapng_size(out->w) > out->size_limit)
		new_size = true;
	if (!new_window && !new_size)
		return 0;
	if (new_window && out->windows && out->count && !out->size_limit &&
	    out->windows >= out->count)
		return file_limit(out);

	int rc = close_file(out, true);
	if (rc)
		return rc;
	if (new_window) {
		out->window_start_ns = ts_ns;
		out->windows++;
		out->size_index = 0;
	} else {
		out->size_index++;
		if (out->count && out->secs == 0)
			out->size_index %= out->count;	/* -C with -W: a ring of files */
	}
	return open_file(out);
}

/* rotate_if_due's call and checks, for every packet, only where -G or -C can rotate */
static inline int rotate_maybe(struct pcapng_out *out, uint64_t ts_ns)
{
	return out->secs || out->size_limit ? rotate_if_due(out, ts_ns) : 0;
}

int pcapng_out_prepare(struct pcapng_out *out, uint64_t ts_ns)
{
	return out->err ? out->err : rotate_maybe(out, ts_ns);
}

uint64_t pcapng_out_file_no(const struct pcapng_out *out)
{
	return out->files;
}

int pcapng_out_write_packet(struct pcapng_out *out, const struct packet *p, const char *comment,
			    size_t comment_len)
{
	int rc;

	if (out->err)
		return out->err;
	rc = rotate_maybe(out, p->ts_ns);
	if (rc)
		return rc;
	rc = pcapng_write_packet(out->w, p, comment, comment_len);
	if (rc)
		return fail(out, rc);
	out->unflushed = true;
	return out->per_packet ? pcapng_out_flush(out) : 0;
}

int pcapng_out_write_nrb(struct pcapng_out *out, const struct name_rec *recs, size_t n)
{
	if (out->err)
		return out->err;
	if (!out->w)
		return 0;	/* before the first -G file: output.c writes every name into it */
	int rc = pcapng_write_nrb(out->w, recs, n);
	return rc ? fail(out, rc) : 0;
}

int pcapng_out_write_dsb(struct pcapng_out *out, uint32_t secrets_type, const void *data,
			 size_t len, const char *comment)
{
	if (out->err)
		return out->err;
	if (!out->w) {
		/* -G before its first packet: that packet names the file; open it for the DSB */
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		out->window_start_ns = (uint64_t)now.tv_sec * 1000000000u;
		out->windows++;
		if (open_file(out))
			return out->err;
	}
	int rc = pcapng_write_dsb(out->w, secrets_type, data, len, comment);
	return rc ? fail(out, rc) : 0;
}

int pcapng_out_write_stats(struct pcapng_out *out, uint32_t if_id,
			   const struct pcapng_if_stats *st)
{
	if (out->err)
		return out->err;
	if (!out->w)
		return 0;	/* -G and no packet: the file is created at close */
	int rc = pcapng_write_stats(out->w, if_id, st);
	return rc ? fail(out, rc) : 0;
}

int pcapng_out_flush(struct pcapng_out *out)
{
	if (out->err || !out->w)
		return out->err;
	out->unflushed = false;
	int rc = pcapng_flush(out->w);
	return rc ? fail(out, rc) : 0;
}

/* Lowers *timeout_ms to the ms from now_ns until deadline_ns (at least 1). */
static void wake_by(int *timeout_ms, uint64_t now_ns, uint64_t deadline_ns)
{
	uint64_t ms = deadline_ns > now_ns ? (deadline_ns - now_ns + 999999) / 1000000 : 1;

	if (ms < (uint64_t)*timeout_ms)
		*timeout_ms = (int)ms;
}

int pcapng_out_timer(struct pcapng_out *out, uint64_t now_ns, int *timeout_ms)
{
	const uint64_t file_flush_ns = 1000000000u;

	if (out->err)
		return out->err;
	if (out->secs && out->count && !out->size_limit && out->windows >= out->count) {
		uint64_t end = out->window_start_ns + (uint64_t)out->secs * 1000000000u;
		if (now_ns >= end)
			return file_limit(out);	/* as the next packet would have found */
		wake_by(timeout_ms, now_ns, end);
	}
	if (!out->unflushed)
		return 0;
	if (out->to_stdout || now_ns - out->last_flush_ns >= file_flush_ns) {
		out->last_flush_ns = now_ns;
		return pcapng_out_flush(out);
	}
	wake_by(timeout_ms, now_ns, out->last_flush_ns + file_flush_ns);
	return 0;
}

int pcapng_out_close(struct pcapng_out *out)
{
	int rc;

	if (!out)
		return 0;
	rc = out->err;
	if (!rc && !out->w && out->secs) {
		/* no packet at all: still leave a (valid, empty) capture named after now */
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		out->window_start_ns = (uint64_t)now.tv_sec * 1000000000u;
		out->windows++;
		rc = open_file(out);
	}
	if (out->w) {
		if (rc) {
			pcapng_close(out->w);	/* keeps the complete blocks; error already reported */
			out->w = NULL;
		} else {
			rc = close_file(out, false);
		}
	}
	for (uint32_t i = 0; i < out->n_ifs; i++) {
		free((char *)out->ifs[i].name);
		free((char *)out->ifs[i].filter);
	}
	free(out->ifs);
	free(out);
	return rc;
}
