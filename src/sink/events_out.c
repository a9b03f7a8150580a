// SPDX-License-Identifier: BSD-3-Clause
/* Process event lines (see events_out.h). Text: "TIME exec pid=P ppid=P uid=U comm=C
 * exe=E args=A" and "TIME exit pid=P ppid=P uid=U comm=C code=N|signal=N lifetime=S", args
 * last because it may hold spaces. Execs per user are kept for up to EXEC_USERS_MAX users,
 * the others summed in one row. */
#include <inttypes.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "events_out.h"
#include "termsafe.h"
#include "flows_out.h"
#include "jbuf.h"
#include "util.h"

#define EXEC_USERS_MAX	256
#define NS		UINT64_C(1000000000)

struct exec_count {
	uint32_t uid;
	uint64_t execs;
};

struct events_out {
	FILE *out;
	bool json;
	struct exec_count users[EXEC_USERS_MAX];
	uint32_t n_users;
	uint64_t other_execs;		/* users beyond EXEC_USERS_MAX */
};

struct events_out *events_out_new(FILE *out, bool json)
{
	struct events_out *eo = xcalloc(1, sizeof(*eo));

	eo->out = out;
	eo->json = json;
	return eo;
}

static void count_exec(struct events_out *eo, uint32_t uid)
{
	for (uint32_t i = 0; i < eo->n_users; i++)
		if (eo->users[i].uid == uid) {
			eo->users[i].execs++;
			return;
		}
	if (eo->n_users == EXEC_USERS_MAX) {
		eo->other_execs++;
		return;
	}
	eo->users[eo->n_users].uid = uid;
	eo->users[eo->n_users++].execs = 1;
}

static void event_json(struct events_out *eo, const struct proc_event *ev)
{
	struct jbuf b = { .n = 0, .first = true };
	bool exec = ev->kind == PROC_EV_EXEC;

	jraw(&b, "{");
	jstr(&b, "type", exec ? "exec" : "exit");
	jkey(&b, "ts");
	jraw(&b, "%" PRIu64 ".%09" PRIu64, ev->ts_ns / NS, ev->ts_ns % NS);
	jnum(&b, "pid", ev->pid);
	jnum(&b, "ppid", ev->ppid);
	jnum(&b, "uid", ev->uid);
	jstr(&b, "comm", ev->comm);
	if (ev->exe[0])
		jstr(&b, "exe", ev->exe);
	if (ev->args[0])
		jstr(&b, "args", ev->args);
	if (!exec) {
		if (ev->status & 0x7f)
			jnum(&b, "signal", ev->status & 0x7f);
		else
			jnum(&b, "exit_code", (ev->status >> 8) & 0xff);
		jkey(&b, "lifetime");
		jraw(&b, "%" PRIu64 ".%09" PRIu64, ev->lifetime_ns / NS, ev->lifetime_ns % NS);
	}
	jraw(&b, "}\n");
	fwrite(b.s, 1, b.n, eo->out);
}

void events_out_event(struct events_out *eo, const struct proc_event *ev)
{
	char t[32];

	if (ev->kind == PROC_EV_EXEC)
		count_exec(eo, ev->uid);
	if (eo->json) {
		event_json(eo, ev);
		return;
	}
	time_of_day(ev->ts_ns, t, sizeof(t));
	fprintf(eo->out, "%s %s pid=%u ppid=%u uid=%u comm=%s", t,
		ev->kind == PROC_EV_EXEC ? "exec" : "exit", ev->pid, ev->ppid, ev->uid,
		TERM_SAFE(ev->comm, sizeof(ev->comm)));
	if (ev->kind == PROC_EV_EXEC) {
		fprintf(eo->out, " exe=%s args=%s\n", ev->exe[0] ? TERM_SAFE(ev->exe, sizeof(ev->exe)) : "-",
			ev->args[0] ? TERM_SAFE(ev->args, sizeof(ev->args)) : "-");
		return;
	}
	if (ev->status & 0x7f)
		fprintf(eo->out, " signal=%u", ev->status & 0x7f);
	else
		fprintf(eo->out, " code=%u", (ev->status >> 8) & 0xff);
	fprintf(eo->out, " lifetime=%" PRIu64 ".%06" PRIu64 " args=%s\n", ev->lifetime_ns / NS,
		ev->lifetime_ns % NS / 1000, ev->args[0] ? ev->args : "-");
}

static int by_execs(const void *a, const void *b)
{
	const struct exec_count *x = a, *y = b;

	if (x->execs != y->execs)
		return x->execs < y->execs ? 1 : -1;
	return x->uid < y->uid ? -1 : x->uid > y->uid;
}

void events_out_close(struct events_out *eo)
{
	if (!eo)
		return;
	qsort(eo->users, eo->n_users, sizeof(eo->users[0]), by_execs);
	if (!eo->json && (eo->n_users || eo->other_execs))
		fprintf(eo->out, "%-9s %-10s %s\n", "EXECS", "UID", "USER");
	for (uint32_t i = 0; i < eo->n_users; i++) {
		const struct exec_count *u = &eo->users[i];
		struct passwd *pw = getpwuid(u->uid);	/* local files only: -n is about the net */
		const char *name = pw ? pw->pw_name : "-";
		if (eo->json) {
			char js[128];
			json_str(js, 0, sizeof(js), name);
			fprintf(eo->out, "{\"type\":\"execs\",\"uid\":%u,\"user\":%s,\"execs\":%"
				PRIu64 "}\n", u->uid, js, u->execs);
		} else {
			fprintf(eo->out, "%-9" PRIu64 " %-10u %s\n", u->execs, u->uid, name);
		}
	}
	if (eo->other_execs && !eo->json)
		fprintf(eo->out, "%-9" PRIu64 " %-10s %s\n", eo->other_execs, "-", "[other]");
	else if (eo->other_execs)
		fprintf(eo->out, "{\"type\":\"execs\",\"user\":\"[other]\",\"execs\":%" PRIu64 "}\n",
			eo->other_execs);
	free(eo);
}
