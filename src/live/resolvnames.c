// SPDX-License-Identifier: BSD-3-Clause
/* --resolver-names (see resolvnames.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "libfind.h"
#include "resolvnames.h"
#include "resolvprobe.skel.h"
#include "util.h"

/* Where a C library usually is; also looked for inside the root of each new mount namespace. */
static const char *const usual[] = {
	"/usr/lib/x86_64-linux-gnu/libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6",
	"/usr/lib64/libc.so.6", "/lib64/libc.so.6", "/usr/lib/libc.so.6",
};
#define N_USUAL (sizeof(usual) / sizeof(usual[0]))

struct resolvnames {
	struct resolvprobe_bpf *skel;
	struct ring_buffer *rb;
	struct bpf_link *links[LIBFIND_MAX * 10];
	int n_links;
	struct libset libs;
	struct libset roots;		/* root directories looked into (containers, chroots) */
	resolvnames_fn fn;		/* of the running poll */
	void *ctx;
};

/* A name that is an address literal ("192.0.2.1", "::1") names nothing: getaddrinfo returns it
 * as it is. */
static bool is_literal(const char *name)
{
	uint8_t buf[16];

	return inet_pton(AF_INET, name, buf) == 1 || inet_pton(AF_INET6, name, buf) == 1;
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct resolvnames *rn = ctx;
	struct rslv_event e;	/* a copy: the ring is mapped read-only */

	if (size < sizeof(e))
		return 0;
	memcpy(&e, data, sizeof(e));
	if (!e.n_addrs || e.n_addrs > RSLV_MAX_ADDRS)
		return 0;
	e.name[RSLV_NAME_LEN - 1] = 0;
	e.comm[RSLV_COMM_LEN - 1] = 0;
	if (!is_literal(e.name))
		rn->fn(rn->ctx, &e);
	return 0;
}

/* Attaches the probes to the C library at path unless the file was seen before (a
 * libfind_fn). */
static void attach_lib(void *ctx, const char *path, const char *shown)
{
	struct resolvnames *rn = ctx;
	const struct { const char *func; struct bpf_program *prog; bool ret; } probes[] = {
		{ "getaddrinfo", rn->skel->progs.gai_enter, false },
		{ "getaddrinfo", rn->skel->progs.gai_exit, true },
		{ "gethostbyname", rn->skel->progs.hostent_enter, false },
		{ "gethostbyname", rn->skel->progs.hostent_exit, true },
		{ "gethostbyname2", rn->skel->progs.hostent_enter, false },
		{ "gethostbyname2", rn->skel->progs.hostent_exit, true },
		{ "gethostbyname_r", rn->skel->progs.hostent_r_enter, false },
		{ "gethostbyname_r", rn->skel->progs.hostent_r_exit, true },
		{ "gethostbyname2_r", rn->skel->progs.hostent2_r_enter, false },
		{ "gethostbyname2_r", rn->skel->progs.hostent_r_exit, true },
	};
	int attached = 0;

	if (!libset_add(&rn->libs, path))
		return;
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		LIBBPF_OPTS(bpf_uprobe_opts, uo, .func_name = probes[i].func,
			    .retprobe = probes[i].ret);
		struct bpf_link *l;

		if (rn->n_links == (int)(sizeof(rn->links) / sizeof(rn->links[0])))
			break;
		l = bpf_program__attach_uprobe_opts(probes[i].prog, -1, path, 0, &uo);
		if (!l) {
			/* a C library built without one of them: the others still work */
			pr_debug("--resolver-names: uprobe %s in %s: %s\n", probes[i].func, shown,
				 strerror(errno));
			continue;
		}
		rn->links[rn->n_links++] = l;
		attached++;
	}
	if (attached)
		pr_debug("--resolver-names: %d probes on %s\n", attached, shown);
	else
		pr_warn("--resolver-names: no resolver function to probe in %s\n", shown);
}

struct resolvnames *resolvnames_open(void)
{
	struct resolvnames *rn = xcalloc(1, sizeof(*rn));
	int err;

	rn->skel = resolvprobe_bpf__open();
	if (!rn->skel) {
		pr_warn("--resolver-names: open BPF object: %s\n", strerror(errno));
		goto fail;
	}
	err = resolvprobe_bpf__load(rn->skel);
	if (err) {
		pr_warn("--resolver-names: load BPF programs: %s\n", strerror(-err));
		goto fail;
	}
	libfind_each(usual, N_USUAL, "libc.so.6", attach_lib, rn);
	if (!rn->n_links) {
		pr_warn("--resolver-names: no C library (libc.so.6) to attach to\n");
		goto fail;
	}
	rn->rb = ring_buffer__new(bpf_map__fd(rn->skel->maps.resolv_events), on_event, rn, NULL);
	if (!rn->rb) {
		pr_warn("--resolver-names: ring buffer: %s\n", strerror(errno));
		goto fail;
	}
	return rn;
fail:
	resolvnames_close(rn);
	return NULL;
}

void resolvnames_exec(struct resolvnames *rn, uint32_t pid)
{
	char path[64 + 64];

	snprintf(path, sizeof(path), "/proc/%u/root", pid);
	if (!libset_add(&rn->roots, path))
		return;	/* a root seen before, or the process is gone */
	for (size_t i = 0; i < N_USUAL; i++) {
		snprintf(path, sizeof(path), "/proc/%u/root%s", pid, usual[i]);
		attach_lib(rn, path, path);
	}
}

int resolvnames_fd(const struct resolvnames *rn)
{
	return ring_buffer__epoll_fd(rn->rb);
}

void resolvnames_poll(struct resolvnames *rn, resolvnames_fn fn, void *ctx)
{
	rn->fn = fn;
	rn->ctx = ctx;
	ring_buffer__consume(rn->rb);
}

void resolvnames_close(struct resolvnames *rn)
{
	if (!rn)
		return;
	ring_buffer__free(rn->rb);
	for (int i = 0; i < rn->n_links; i++)
		bpf_link__destroy(rn->links[i]);
	resolvprobe_bpf__destroy(rn->skel);
	free(rn);
}
