// SPDX-License-Identifier: BSD-3-Clause
/* Process filters on replay (src/input/procmatch.c), fed with owners read back from procap's
 * comment text by comment_parse, as -r does: --follow-forks learns children by their PPID,
 * --cgroup selects the path and what is below it (after the cgroup mount is stripped), --uid
 * never matches an owner whose uid the file does not give, and a packet without an owner never
 * matches. */
#include <string.h>

#include "check.h"
#include "comment.h"
#include "procmatch.h"

/* Whether the packet whose comment is text passes pm. */
static bool passes(struct procmatch *pm, const char *text)
{
	struct packet p;

	memset(&p, 0, sizeof(p));
	if (!comment_parse(text, &p))
		return false;
	return procmatch_packet(pm, &p);
}

static void test_follow_forks(void)
{
	struct options o;
	struct procmatch *pm;

	memset(&o, 0, sizeof(o));
	o.pids[o.n_pids++] = 100;
	o.follow_forks = true;
	pm = procmatch_new(&o);
	CHECK(passes(pm, "PID: 100\nCmd: sh\nPPID: 1\nSource: cookie"), "--pid: the process");
	CHECK(passes(pm, "PID: 200\nCmd: curl\nPPID: 100\nSource: cookie"), "--follow-forks: child");
	CHECK(passes(pm, "PID: 300\nCmd: curl\nPPID: 200\nSource: cookie"),
	      "--follow-forks: grandchild once its parent was seen");
	CHECK(!passes(pm, "PID: 400\nCmd: curl\nPPID: 999\nSource: cookie"),
	      "--follow-forks: an unrelated process");
	CHECK(!passes(pm, "Source: none"), "--pid: a packet without an owner");
	CHECK_INT(procmatch_owned(pm), 4, "owned: the packets that named an owner");
	procmatch_free(pm);

	o.follow_forks = false;
	pm = procmatch_new(&o);
	CHECK(!passes(pm, "PID: 200\nCmd: curl\nPPID: 100\nSource: cookie"),
	      "--pid without --follow-forks: no child");
	procmatch_free(pm);
}

static void test_cgroup_uid_comm(void)
{
	struct options o;
	struct procmatch *pm;

	memset(&o, 0, sizeof(o));
	o.cgroup = "/sys/fs/cgroup/unified/user.slice/";
	pm = procmatch_new(&o);
	CHECK(passes(pm, "PID: 1\nCgroup: /user.slice\nSource: proc"), "--cgroup: the cgroup");
	CHECK(passes(pm, "PID: 1\nCgroup: /user.slice/a.scope\nSource: proc"), "--cgroup: below");
	CHECK(!passes(pm, "PID: 1\nCgroup: /user.slice2\nSource: proc"), "--cgroup: a sibling");
	CHECK(!passes(pm, "PID: 1\nSource: proc"), "--cgroup: owner without a cgroup");
	procmatch_free(pm);

	memset(&o, 0, sizeof(o));
	o.has_uid = true;
	o.uid = 0;
	o.comm = "curl";
	pm = procmatch_new(&o);
	CHECK(passes(pm, "PID: 5\nCmd: curl\nUID: 0\nSource: tuple"), "--uid --comm: both match");
	CHECK(!passes(pm, "PID: 5\nCmd: curl\nSource: tuple"), "--uid: uid not in the file");
	CHECK(!passes(pm, "PID: 5\nCmd: curl2\nUID: 0\nSource: tuple"), "--comm: other name");
	CHECK(!passes(pm, "PID: 5\nCmd: curl\nUID: 1000\nSource: tuple"), "--uid: other user");
	procmatch_free(pm);
}

int main(void)
{
	test_follow_forks();
	test_cgroup_uid_comm();
	return CHECK_EXIT();
}
