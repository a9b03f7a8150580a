// SPDX-License-Identifier: BSD-3-Clause
/* -Z USER (see privs.h). Order matters: groups first (needs root), then gid, then uid; with
 * PR_SET_KEEPCAPS the permitted set survives setuid so the live capture can keep exactly
 * CAP_BPF and CAP_NET_ADMIN, everything else (CAP_DAC_OVERRIDE, CAP_CHOWN...) is gone. */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include "privs.h"
#include "util.h"

static const struct passwd *lookup(const char *user)
{
	char *end;
	unsigned long uid;

	errno = 0;
	struct passwd *pw = getpwnam(user);
	if (pw)
		return pw;
	uid = strtoul(user, &end, 10);
	if (*user && !*end)
		return getpwuid((uid_t)uid);
	return NULL;
}

static int set_caps(uint64_t keep)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	memset(data, 0, sizeof(data));
	data[0].effective = data[0].permitted = (uint32_t)keep;
	data[1].effective = data[1].permitted = (uint32_t)(keep >> 32);
	return (int)syscall(SYS_capset, &hdr, data);
}

int privs_drop(const char *user, bool keep_net_caps)
{
	const struct passwd *pw;

	if (!user)
		return 0;
	pw = lookup(user);
	if (!pw) {
		pr_warn("-Z %s: no such user\n", user);
		return -1;
	}
	if (geteuid() != 0) {
		if (geteuid() == pw->pw_uid)
			return 0;
		pr_warn("-Z %s: only root can switch users (running as uid %u)\n", user,
			(unsigned int)geteuid());
		return -1;
	}
	uid_t uid = pw->pw_uid;
	gid_t gid = pw->pw_gid;
	if (keep_net_caps && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0)) {
		pr_warn("-Z %s: prctl(PR_SET_KEEPCAPS): %s\n", user, strerror(errno));
		return -1;
	}
	if (initgroups(pw->pw_name, gid) || setresgid(gid, gid, gid) || setresuid(uid, uid, uid)) {
		pr_warn("-Z %s: cannot switch to uid %u gid %u: %s\n", user, (unsigned int)uid,
			(unsigned int)gid, strerror(errno));
		return -1;
	}
	uint64_t keep = keep_net_caps ? (1ull << CAP_BPF | 1ull << CAP_NET_ADMIN) : 0;
	if (set_caps(keep)) {
		pr_warn("-Z %s: cannot limit capabilities: %s\n", user, strerror(errno));
		return -1;
	}
	prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	/* verify: every id is the user's and root cannot come back (uid 0 excepted: -Z root) */
	uid_t r, e, s;
	if (getresuid(&r, &e, &s) || r != uid || e != uid || s != uid || getegid() != gid ||
	    (uid != 0 && setuid(0) == 0)) {
		pr_warn("-Z %s: switching user did not take effect\n", user);
		return -1;
	}
	pr_debug("-Z: now uid %u gid %u\n", (unsigned int)uid, (unsigned int)gid);
	return 0;
}
