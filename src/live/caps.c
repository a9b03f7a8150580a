// SPDX-License-Identifier: BSD-3-Clause
/* Live capture's capability check (see caps.h). The kernel's rules (include/uapi/linux/
 * capability.h, kernel/bpf/syscall.c): loading networking programs (TC, XDP, cgroup sock hooks)
 * needs CAP_BPF and CAP_NET_ADMIN, attaching them to links and cgroups CAP_NET_ADMIN, tracing
 * programs (the exec/exit tracepoints) CAP_BPF and CAP_PERFMON. CAP_SYS_ADMIN stands in for
 * CAP_BPF and CAP_PERFMON (bpf_capable(), perfmon_capable()), not for CAP_NET_ADMIN.
 * Read with capget(2) directly: no libcap dependency for one syscall. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include "caps.h"
#include "util.h"

uint64_t caps_effective(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data))
		return 0;
	return (uint64_t)data[1].effective << 32 | data[0].effective;
}

static int add_missing(char *buf, size_t len, size_t *used, const char *name)
{
	int n = snprintf(buf + *used, len - *used, "%s%s", *used ? " " : "", name);

	if (n > 0 && (size_t)n < len - *used)
		*used += (size_t)n;
	return 1;
}

int caps_missing_for_live(uint64_t eff, char *buf, size_t len)
{
	bool sys_admin = eff & (1ull << CAP_SYS_ADMIN);
	size_t used = 0;
	int missing = 0;

	if (len)
		buf[0] = 0;
	if (!(eff & (1ull << CAP_BPF)) && !sys_admin)
		missing += add_missing(buf, len, &used, "CAP_BPF");
	if (!(eff & (1ull << CAP_NET_ADMIN)))
		missing += add_missing(buf, len, &used, "CAP_NET_ADMIN");
	if (!(eff & (1ull << CAP_PERFMON)) && !sys_admin)
		missing += add_missing(buf, len, &used, "CAP_PERFMON");
	return missing;
}

int caps_require_live(void)
{
	char missing[64];

	if (!caps_missing_for_live(caps_effective(), missing, sizeof(missing)))
		return 0;
	pr_warn("live capture needs CAP_BPF, CAP_NET_ADMIN and CAP_PERFMON (missing: %s): run it "
		"as root or grant them (setcap cap_bpf,cap_net_admin,cap_perfmon+ep procap); "
		"-r FILE needs none\n", missing);
	return -1;
}
