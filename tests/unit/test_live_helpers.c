// SPDX-License-Identifier: BSD-3-Clause
/* Unit tests of the live-capture helpers that need no privileges: ring record validation
 * (events.c), monotonic->realtime (clock.c), cgroup path handling (cgroup.c), container ids
 * and the bounded process table (proc.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/types.h>

#include "capture.h"
#include "cgroup.h"
#include "check.h"
#include "clock.h"
#include "events.h"
#include "proc.h"

static void test_record_validation(void)
{
	static union {
		struct cap_event e;
		uint8_t raw[sizeof(struct cap_event) + CAP_CLASS_0];
	} r;
	const size_t full = sizeof(r.raw);

	memset(&r, 0, sizeof(r));
	r.e.kind = CAP_KIND_PACKET;
	r.e.wire_len = 1500;
	r.e.cap_len = CAP_CLASS_0;
	CHECK_INT(events_check_packet(&r, full), 0, "record: well-formed");
	CHECK(events_check_packet(&r, sizeof(struct cap_event) - 1) < 0, "record: short header");
	CHECK(events_check_packet(&r, full - 1) < 0, "record: cap_len beyond the record");
	r.e.cap_len = 0;
	CHECK(events_check_packet(&r, full) < 0, "record: empty packet");
	r.e.cap_len = 60;
	r.e.wire_len = 59;
	CHECK(events_check_packet(&r, full) < 0, "record: cap_len > wire_len");
	r.e.wire_len = 60;
	r.e.dir = 7;
	CHECK(events_check_packet(&r, full) < 0, "record: bad direction");
	r.e.dir = CAP_DIR_EGRESS;
	r.e.owner_src = 9;
	CHECK(events_check_packet(&r, full) < 0, "record: bad owner source");
	r.e.owner_src = CAP_SRC_TUPLE;
	r.e.kind = CAP_KIND_EXEC;
	CHECK(events_check_packet(&r, full) < 0, "record: not a packet");
}

static void test_clock(void)
{
	struct clock_map c;
	struct timespec m, rt;

	if (!CHECK_INT(clock_calibrate(&c), 0, "clock: calibrate"))
		return;
	clock_gettime(CLOCK_MONOTONIC, &m);
	clock_gettime(CLOCK_REALTIME, &rt);
	uint64_t mono = (uint64_t)m.tv_sec * 1000000000ull + (uint64_t)m.tv_nsec;
	uint64_t real = (uint64_t)rt.tv_sec * 1000000000ull + (uint64_t)rt.tv_nsec;
	uint64_t conv = clock_to_realtime(&c, mono);
	uint64_t diff = conv > real ? conv - real : real - conv;
	/* an accuracy bound, not a timing: time(NULL)-style conversions are up to 1 s off */
	CHECKF(diff < 10000000ull, "clock: realtime within 10 ms", "off by %llu ns",
	       (unsigned long long)diff);
	CHECKF(c.error_ns < 10000000ull, "clock: sampling window", "window %llu ns",
	       (unsigned long long)c.error_ns);
}

static void test_cgroup_paths(void)
{
	char rel[256];

	CHECK_INT(cgroup_level("/"), 0, "cgroup: level of the root");
	CHECK_INT(cgroup_level("/a"), 1, "cgroup: level 1");
	CHECK_INT(cgroup_level("/a/b/"), 2, "cgroup: level 2, trailing slash");
	cgroup_rel_path("/sys/fs/cgroup", "/sys/fs/cgroup/system.slice/x.service", rel,
			sizeof(rel));
	CHECK_STR(rel, "/system.slice/x.service", "cgroup: filesystem path");
	cgroup_rel_path("/sys/fs/cgroup", "/system.slice/", rel, sizeof(rel));
	CHECK_STR(rel, "/system.slice", "cgroup: cgroup path");
	cgroup_rel_path("/sys/fs/cgroup", "/sys/fs/cgroupx/a", rel, sizeof(rel));
	CHECK_STR(rel, "/sys/fs/cgroupx/a", "cgroup: prefix only at a path boundary");
	cgroup_rel_path("/sys/fs/cgroup", "/sys/fs/cgroup", rel, sizeof(rel));
	CHECK_STR(rel, "/", "cgroup: the root itself");
}

/* id -> path must give back what /proc/self/cgroup says, for this process's cgroup and the
 * root (root only: open_by_handle_at needs CAP_DAC_READ_SEARCH) */
static void test_cgroup_path_of_id(void)
{
	char mnt[4096], mine[4096], path[4096];
	uint64_t id;
	int root = cgroup_root_open(mnt, sizeof(mnt));

	if (root < 0 || geteuid() != 0 || cgroup_of_pid(getpid(), mine, sizeof(mine))) {
		SKIP("cgroup: path of id", "needs root and a cgroup v2 hierarchy");
		if (root >= 0)
			close(root);
		return;
	}
	if (CHECK(cgroup_id_at(root, mine, &id) == 0, "cgroup: id of my cgroup")) {
		CHECK(cgroup_path_of_id(root, id, path, sizeof(path)) == 0,
		      "cgroup: path of my cgroup's id");
		CHECK_STR(path, mine, "cgroup: id -> path equals /proc/self/cgroup");
	}
	if (CHECK(cgroup_id_at(root, "/", &id) == 0, "cgroup: id of the root")) {
		CHECK(cgroup_path_of_id(root, id, path, sizeof(path)) == 0, "cgroup: path of root id");
		CHECK_STR(path, "/", "cgroup: the root's id -> /");
	}
	/* a cgroup made for the test, one level down */
	char name[64], want[80];
	snprintf(name, sizeof(name), "procap-unit-%d", (int)getpid());
	snprintf(want, sizeof(want), "/%s", name);
	if (CHECK(cgroup_create(root, name) == 0, "cgroup: test cgroup created")) {
		if (CHECK(cgroup_id_at(root, want, &id) == 0, "cgroup: id of the test cgroup")) {
			CHECK(cgroup_path_of_id(root, id, path, sizeof(path)) == 0,
			      "cgroup: path of the test cgroup's id");
			CHECK_STR(path, want, "cgroup: test cgroup id -> its path");
		}
		cgroup_remove(root, name);
	}
	CHECK(cgroup_path_of_id(root, ~0ull, path, sizeof(path)) < 0, "cgroup: unknown id fails");
	close(root);
}

static void test_container_id(void)
{
	const char *id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	char path[300], out[80];

	snprintf(path, sizeof(path), "/system.slice/docker-%s.scope", id);
	proc_container_id(path, out, sizeof(out));
	CHECK_STR(out, id, "container: docker scope");
	snprintf(path, sizeof(path), "/kubepods/besteffort/pod1/%s", id);
	proc_container_id(path, out, sizeof(out));
	CHECK_STR(out, id, "container: kubepods");
	proc_container_id("/user.slice/user-0.slice/session-1.scope", out, sizeof(out));
	CHECK_STR(out, "", "container: none");
	snprintf(path, sizeof(path), "/x/%s0", id);	/* 65 hex digits: not an id */
	proc_container_id(path, out, sizeof(out));
	CHECK_STR(out, "", "container: too long a run");
}

static void test_proc_table(void)
{
	struct proc_table *t = proc_table_new(4, -1);
	struct proc_meta m;

	/* many more pids than entries: stays bounded, self is still resolved after eviction */
	for (uint32_t pid = 4000000; pid < 4000100; pid++) {
		memset(&m, 0, sizeof(m));
		m.pid = pid;
		proc_table_fill(t, &m);
	}
	memset(&m, 0, sizeof(m));
	m.pid = (uint32_t)getpid();
	proc_table_fill(t, &m);
	CHECK(strstr(m.exe, "test_live_helpers") != NULL, "proc: exe of a live process");
	CHECK(strstr(m.args, "test_live_helpers") != NULL, "proc: args of a live process");
	CHECK_INT(m.ppid, getppid(), "proc: ppid");

	struct cap_proc_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.kind = CAP_KIND_EXEC;
	ev.pid = 4100000;	/* not running: the record is all there is */
	ev.ppid = 1;
	strcpy(ev.filename, "/usr/bin/gone");
	memcpy(ev.args, "gone\0--flag\0x", 14);
	ev.args_len = 14;
	proc_table_event(t, &ev);
	memset(&m, 0, sizeof(m));
	m.pid = 4100000;
	proc_table_fill(t, &m);
	CHECK_STR(m.exe, "/usr/bin/gone", "proc: exe from the exec record");
	CHECK_STR(m.args, "gone --flag x", "proc: args from the exec record");
	CHECK_INT(m.ppid, 1, "proc: ppid from the exec record");
	proc_table_free(t);
}

int main(void)
{
	test_record_validation();
	test_clock();
	test_cgroup_paths();
	test_cgroup_path_of_id();
	test_container_id();
	test_proc_table();
	return CHECK_EXIT();
}
