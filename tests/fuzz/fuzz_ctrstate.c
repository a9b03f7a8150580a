// SPDX-License-Identifier: BSD-3-Clause
/* libFuzzer target for the container runtimes' state files procap reads (src/live/container.c):
 * the input becomes, in a private root, Docker's config.v2.json, a containerd bundle's
 * config.json, containers/storage's containers.json and a libpod BoltDB file all at once, and
 * one container id is looked up in them; the JSON reader also walks the input on its own.
 * fuzz-seeds: tests/fuzz/seeds/fuzz_ctrstate */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "jsonread.h"

#define ID "4444444444444444444444444444444444444444444444444444444444444444"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const files[] = {
	"var/lib/docker/containers/" ID "/config.v2.json",
	"run/containerd/io.containerd.runtime.v2.task/k8s.io/" ID "/config.json",
	"var/lib/containers/storage/overlay-containers/containers.json",
	"var/lib/containers/storage/libpod/bolt_state.db",
};

/* tmpfs: the files are rewritten on every input (ext4 /tmp costs 17 ms per input) */
static char root[] = "/dev/shm/procap-fuzz-ctr.XXXXXX";

static void put(const char *rel, const uint8_t *data, size_t size)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	if (!f)
		return;
	fwrite(data, 1, size, f);
	fclose(f);
}

static void remove_root(void)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd))
		return;
}

static int setup(void)
{
	char cmd[1024];

	if (!mkdtemp(root))
		return -1;
	atexit(remove_root);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s/%s')\"", root, files[i]);
		if (system(cmd))
			return -1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready = -2;
	static const char *const path[] = { "Config", "Labels", "io.kubernetes.pod.name", NULL };
	char out[64];
	struct jcur c;

	if (ready == -2)
		ready = setup();
	jc_init(&c, (const char *)data, size);
	jc_skip(&c);
	json_get_str((const char *)data, size, path, out, sizeof(out));
	if (ready)
		return 0;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		put(files[i], data, size);
	struct ctr_table *t = ctr_table_new(root);
	const struct ctr_meta *m = ctr_lookup(t, ID);
	if (m && (strlen(m->name) >= sizeof(m->name) || strlen(m->pod) >= sizeof(m->pod)))
		abort();	/* every name is cut to its field */
	ctr_table_free(t);
	return 0;
}
