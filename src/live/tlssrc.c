// SPDX-License-Identifier: BSD-3-Clause
/* Live sources of TLS secrets (see tlssrc.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "keylog.h"
#include "privs.h"
#include "sslkeys.h"
#include "tlskeys.h"
#include "tlssrc.h"
#include "util.h"

struct tlssrc {
	struct keylog *keylog;		/* -- COMMAND's SSLKEYLOGFILE, NULL if none */
	struct sslkeys *probe;		/* --tls-keys, NULL if not */
	char *saved_env;		/* procap's own SSLKEYLOGFILE, restored after the fork */
	bool env_set;
	struct output *out;		/* of the running tlssrc_poll */
};

int tlssrc_open(struct tlssrc **out, const struct options *o)
{
	struct tlssrc *ts;
	struct child_ids ids;

	*out = NULL;
	if (!tls_secrets_expected(o))
		return 0;
	ts = xcalloc(1, sizeof(*ts));
	if (o->cmd && !o->no_keylog) {
		const char *old = getenv("SSLKEYLOGFILE");

		if (privs_child_ids(o->user, &ids)) {	/* the user the command runs as */
			free(ts);
			return -EINVAL;
		}
		ts->keylog = keylog_open(ids.uid, ids.gid);
		if (!ts->keylog) {
			free(ts);
			return -EIO;
		}
		ts->saved_env = old ? xstrdup(old) : NULL;
		setenv("SSLKEYLOGFILE", keylog_path(ts->keylog), 1);
		ts->env_set = true;
	}
	if (o->tls_keys) {
		ts->probe = sslkeys_open();
		if (!ts->probe) {
			tlssrc_close(ts);
			return -EIO;
		}
	}
	*out = ts;
	return 0;
}

void tlssrc_forked(struct tlssrc *ts)
{
	if (!ts || !ts->env_set)
		return;
	if (ts->saved_env)
		setenv("SSLKEYLOGFILE", ts->saved_env, 1);
	else
		unsetenv("SSLKEYLOGFILE");
	ts->env_set = false;
}

static int watch(int ep, int fd)
{
	struct epoll_event ee = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ee) ? -errno : 0;
}

int tlssrc_watch(struct tlssrc *ts, int ep)
{
	int err = 0;

	if (ts && ts->keylog)
		err = watch(ep, keylog_fd(ts->keylog));
	if (!err && ts && ts->probe)
		err = watch(ep, sslkeys_fd(ts->probe));
	return err;
}

static int on_lines(void *ctx, const char *text, size_t len)
{
	struct tlssrc *ts = ctx;
	int rc = output_tls_secrets(ts->out, text, len, NULL);

	return rc < 0 ? rc : 0;
}

static int on_probe(void *ctx, const char *text, size_t len, const struct tlskeys_origin *who)
{
	struct tlssrc *ts = ctx;
	int rc = output_tls_secrets(ts->out, text, len, who);

	return rc < 0 ? rc : 0;
}

int tlssrc_poll(struct tlssrc *ts, struct output *out)
{
	int rc = 0;

	if (!ts || !out)
		return 0;
	ts->out = out;
	if (ts->keylog)
		rc = keylog_read(ts->keylog, on_lines, ts);
	if (!rc && ts->probe)
		rc = sslkeys_poll(ts->probe, on_probe, ts);
	int trc = output_tick(out);
	return rc ? rc : (trc < 0 ? trc : 0);
}

void tlssrc_close(struct tlssrc *ts)
{
	if (!ts)
		return;
	tlssrc_forked(ts);
	keylog_close(ts->keylog);
	sslkeys_close(ts->probe);
	free(ts->saved_env);
	free(ts);
}
