// SPDX-License-Identifier: BSD-3-Clause
/* Container identity: a container id (64 hex digits, from the cgroup path) to its name, image
 * and Kubernetes pod, read from the container runtimes' own state on disk, no daemon socket:
 *   Docker      /var/lib/docker/containers/ID/config.v2.json (Name, Config.Image, .Labels)
 *   containerd  /run/containerd/io.containerd.runtime.v2.task/NS/ID/config.json (the OCI
 *               bundle: io.kubernetes.cri.* annotations; v1.linux as well)
 *   podman      /var/lib/containers/storage/DRIVER-containers/containers.json (names, image),
 *               labels from the container config in libpod/bolt_state.db (podman 4)
 *   CRI-O       the same containers.json (its metadata names the pod), and the bundle's
 *               userdata/config.json (io.kubernetes.* annotations) under /var/lib or /run
 * Each id is read once and kept; an id no runtime knows yet is read again after a short wait,
 * so a container that starts after procap is named as soon as its runtime wrote it down. */
#ifndef PROCAP_CONTAINER_H
#define PROCAP_CONTAINER_H

#include <stdbool.h>

#include "packet.h"

#define CTR_ID_LEN	64

struct ctr_table;

/* root: prefix of the runtime state paths ("" for the host's own; a DaemonSet may mount the
 * host's state elsewhere: PROCAP_HOST_ROOT). */
struct ctr_table *ctr_table_new(const char *root);
void ctr_table_free(struct ctr_table *t);

/* The container with id (64 lowercase hex digits), or NULL if no runtime knows it (yet). */
const struct ctr_meta *ctr_lookup(struct ctr_table *t, const char *id);

/* Container filters (--container, --pod, --pod-namespace): every one given must match. */
struct ctr_query {
	const char *container;		/* name, or a prefix of the id (4+ hex digits) */
	const char *pod;
	const char *pod_ns;
};

bool ctr_query_active(const struct ctr_query *q);
bool ctr_matches(const struct ctr_query *q, const char *id, const struct ctr_meta *m);

#endif
