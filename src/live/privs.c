// SPDX-License-Identifier: BSD-3-Clause
/* -Z USER (see privs.h). Order matters: groups first (needs root), then gid, then uid; with
 * PR_SET_KEEPCAPS the permitted set survives setuid so the live capture can keep exactly
 * CAP_BPF and CAP_NET_ADMIN, everything else (CAP_DAC_OVERRIDE, CAP_CHOWN...) is gone. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/close_range.h>

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

/* SUDO_UID / SUDO_GID: a decimal id, nothing else */
static int env_id(const char *name, unsigned int *id)
{
	const char *v = getenv(name);
	char *end;
	unsigned long n;

	if (!v)
		return 0;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (!*v || *end || errno || n >= (unsigned long)(uid_t)-1) {
		pr_warn("%s=%s is not a user or group id\n", name, v);
		return -1;
	}
	*id = (unsigned int)n;
	return 1;
}

int privs_child_ids(const char *user, struct child_ids *ids)
{
	const struct passwd *pw = NULL;
	unsigned int uid, gid;
	int n;

	memset(ids, 0, sizeof(*ids));
	ids->uid = getuid();
	ids->gid = getgid();
	if (user) {
		pw = lookup(user);
		if (!pw) {
			pr_warn("-Z %s: no such user\n", user);
			return -1;
		}
		ids->uid = pw->pw_uid;
		ids->gid = pw->pw_gid;
	} else if (getuid() == 0) {
		int has_uid = env_id("SUDO_UID", &uid), has_gid = env_id("SUDO_GID", &gid);

		if (has_uid < 0 || has_gid < 0)
			return -1;
		if (has_uid) {
			ids->uid = uid;
			pw = getpwuid(uid);
			ids->gid = has_gid ? gid : pw ? pw->pw_gid : uid;
		}
	}
	if (!pw)
		pw = getpwuid(ids->uid);
	n = PRIVS_MAX_GROUPS;
	if (pw && getgrouplist(pw->pw_name, ids->gid, ids->groups, &n) >= 0) {
		ids->n_groups = n;
	} else {	/* no passwd entry, or more groups than we keep: the primary one only */
		ids->groups[0] = ids->gid;
		ids->n_groups = 1;
	}
	return 0;
}

int privs_child_apply(const struct child_ids *ids)
{
	uid_t r, e, s;

	/* only root may change identity; a procap with file capabilities already runs as the
	 * invoking user, which the check below confirms */
	if (geteuid() == 0 &&
	    (setgroups((size_t)ids->n_groups, ids->groups) || setresgid(ids->gid, ids->gid, ids->gid) ||
	     setresuid(ids->uid, ids->uid, ids->uid))) {
		fprintf(stderr, "procap: cannot run the command as uid %u gid %u: %s\n",
			(unsigned int)ids->uid, (unsigned int)ids->gid, strerror(errno));
		return -1;
	}
	if (getresuid(&r, &e, &s) || r != ids->uid || e != ids->uid || s != ids->uid) {
		fprintf(stderr, "procap: cannot run the command as uid %u (procap runs as uid %u)\n",
			(unsigned int)ids->uid, (unsigned int)e);
		return -1;
	}
	/* uid 0 regains every capability at exec unless the bounding set is empty; this needs
	 * CAP_SETPCAP, so it comes before the capability sets are cleared */
	for (int cap = 0; ids->uid == 0 && cap <= CAP_LAST_CAP; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno != EINVAL) {
			fprintf(stderr, "procap: cannot drop capability %d: %s\n", cap,
				strerror(errno));
			return -1;
		}
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (set_caps(0)) {
		fprintf(stderr, "procap: cannot clear capabilities: %s\n", strerror(errno));
		return -1;
	}
	/* procap's descriptors (BPF maps and links, capture files, netlink) end at exec */
	if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC))	/* before Linux 5.11 */
		for (int fd = 3, max = getdtablesize(); fd < max; fd++)
			fcntl(fd, F_SETFD, FD_CLOEXEC);
	return 0;
}
