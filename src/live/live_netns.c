// SPDX-License-Identifier: BSD-3-Clause
/* --netns: capture in network namespaces besides procap's own (see live_int.h). Each gets its
 * own capture programs loaded from inside it (loader_open_ns: own ring and interface map, the
 * first loader's owner maps), its own link monitor, and its interfaces named NS/DEV. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "events.h"
#include "ifaces.h"
#include "live_int.h"
#include "loader.h"
#include "netns.h"
#include "util.h"

static int on_ns_packet(void *ctx, const struct cap_event *e)
{
	struct live_ns *ns = ctx;
	int rc;

	ns->lv->cur_ns = ns->idx;
	rc = live_on_packet(ns->lv, e);
	ns->lv->cur_ns = 0;
	return rc;
}

static void on_ns_proc(void *ctx, const struct cap_proc_event *e)
{
	live_on_proc(((struct live_ns *)ctx)->lv, e);
}

static const struct events_ops ns_ops = { .packet = on_ns_packet, .proc = on_ns_proc };

/* Runs live_on_link for ns inside ns: a device is attached by its index there. */
static void on_ns_link(void *ctx, const struct iface_info *ifi, bool gone)
{
	struct live_ns *ns = ctx;
	struct live *lv = ns->lv;

	if (netns_enter(ns->ref.fd))
		return;
	lv->cur_ns = ns->idx;
	live_on_link(lv, ifi, gone);
	lv->cur_ns = 0;
	netns_enter(lv->self_ns_fd);
}

static bool iface_wanted(const struct options *o, const char *name)
{
	if (!o->n_ifaces)
		return true;
	for (int i = 0; i < o->n_ifaces; i++)
		if (!strcmp(o->ifaces[i], "any") || !strcmp(o->ifaces[i], name))
			return true;
	return false;
}

/* Captures in one more namespace: its programs loaded and attached from inside it. */
static int netns_add(struct live *lv, struct netns_ref *ref)
{
	struct live_ns *ns;
	struct loader_cfg cfg = *lv->cfg;
	struct iface_info *list;
	int n, err;

	if (lv->n_ns == MAX_NETNS) {
		pr_warn("--netns: more than %d namespaces, not capturing in %s\n", MAX_NETNS,
			ref->label);
		close(ref->fd);
		return -E2BIG;
	}
	ns = xcalloc(1, sizeof(*ns));
	ns->lv = lv;
	ns->idx = lv->n_ns;
	ns->ref = *ref;
	ns->mon_fd = -1;
	lv->nss[lv->n_ns++] = ns;
	if (cfg.ring_bytes > NETNS_RING_MAX)
		cfg.ring_bytes = NETNS_RING_MAX;
	err = netns_enter(ref->fd);
	if (err) {
		pr_warn("--netns %s: %s\n", ref->label, strerror(-err));
		return err;
	}
	err = loader_open_ns(&ns->ld, &cfg, lv->ld);
	if (!err) {
		ns->mon_fd = ifmon_open();	/* bound to this namespace for good */
		n = ifaces_scan(&list);
		lv->cur_ns = ns->idx;
		for (int i = 0; i < n; i++)
			if (iface_wanted(lv->o, list[i].name) && live_add_iface(lv, &list[i]))
				pr_warn("not capturing on %s/%s\n", ref->label, list[i].name);
		lv->cur_ns = 0;
		if (n >= 0)
			free(list);
	}
	netns_enter(lv->self_ns_fd);
	if (err)
		return err;
	ns->ev = events_new(loader_events_fd(ns->ld), &ns_ops, ns);
	if (!ns->ev)
		return -errno;
	if (lv->ep >= 0)	/* a namespace found while capturing */
		netns_watch(ns, lv->ep);
	return 0;
}

int netns_watch(struct live_ns *ns, int ep)
{
	if (events_watch(ns->ev, ep))	/* errno is epoll_ctl's */
		return -1;
	return live_epoll_add(ep, ns->mon_fd);
}

static void netns_found(void *ctx, struct netns_ref *ref)
{
	netns_add(ctx, ref);
}

/* --netns all: namespaces procap does not capture in yet. */
static void netns_rescan(struct live *lv)
{
	uint64_t known[MAX_NETNS];

	for (int i = 0; i < lv->n_ns; i++)
		known[i] = lv->nss[i]->ref.ino;
	netns_scan(&lv->netns_scan, known, (size_t)lv->n_ns, netns_found, lv);
}

int netns_setup(struct live *lv)
{
	const struct options *o = lv->o;
	struct live_ns *self;
	int err;

	if (!o->n_netns)
		return 0;
	self = xcalloc(1, sizeof(*self));
	self->lv = lv;
	self->mon_fd = -1;
	err = netns_self(&self->ref);
	lv->nss[lv->n_ns++] = self;
	if (err) {
		pr_warn("--netns: own namespace: %s\n", strerror(-err));
		return err;
	}
	lv->self_ns_fd = self->ref.fd;
	for (int i = 0; i < o->n_netns; i++) {
		struct netns_ref ref;
		bool dup = false;

		if (!strcmp(o->netns[i], "all")) {
			lv->netns_all = true;
			continue;
		}
		err = netns_open(o->netns[i], &ref);
		if (err)
			return err;
		for (int k = 0; k < lv->n_ns; k++)
			dup |= lv->nss[k]->ref.ino == ref.ino;
		if (dup) {
			close(ref.fd);
			continue;
		}
		err = netns_add(lv, &ref);
		if (err)
			return err;	/* one the user named: it must work */
	}
	if (lv->netns_all)
		netns_rescan(lv);
	return 0;
}

/* In the capture loop: every further namespace's records and links; new namespaces. */
int netns_poll(struct live *lv, uint64_t now_ms)
{
	for (int i = 1; i < lv->n_ns; i++) {
		struct live_ns *ns = lv->nss[i];
		int rc;

		if (!ns->ev)
			continue;
		rc = events_consume(ns->ev);
		if (rc < 0)
			return rc;
		if (ns->mon_fd >= 0)
			ifmon_read(ns->mon_fd, on_ns_link, ns);
	}
	if (lv->netns_all && now_ms - lv->netns_scan_ms >= NETNS_RESCAN_MS) {
		lv->netns_scan_ms = now_ms;
		netns_rescan(lv);
	}
	return 0;
}

/* At the end: detach, drain what is in the rings (drain true), or free everything. */
void netns_close(struct live *lv, bool drain)
{
	for (int i = 1; i < lv->n_ns; i++) {
		struct live_ns *ns = lv->nss[i];

		if (drain) {
			if (ns->ld)
				loader_close_attachments(ns->ld);
			if (ns->ev)
				events_consume(ns->ev);
			continue;
		}
		events_free(ns->ev);
		loader_close(ns->ld);
		if (ns->mon_fd >= 0)
			close(ns->mon_fd);
		close(ns->ref.fd);
	}
	if (drain)
		return;
	if (lv->n_ns)
		close(lv->nss[0]->ref.fd);
	for (int i = 0; i < lv->n_ns; i++)
		free(lv->nss[i]);
	lv->n_ns = 0;
}
