// SPDX-License-Identifier: BSD-3-Clause
/* Internals shared by the live capture's files: live.c (setup, records -> packets, the capture
 * loop, interfaces) and live_netns.c (--netns). Nothing here is used outside src/live/live*.c. */
#ifndef PROCAP_LIVE_INT_H
#define PROCAP_LIVE_INT_H

#include <limits.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "clock.h"
#include "events.h"
#include "ifaces.h"
#include "loader.h"
#include "netns.h"
#include "opts.h"
#include "packet.h"

#define MAX_LIVE_IFS		256

struct live_if {
	int ifindex;
	char name[IF_NAMESIZE + sizeof(((struct netns_ref *)0)->label)];	/* [NS/]DEV */
	bool l3;
	bool gone;		/* RTM_DELLINK seen (or attach failed): the slot may be reused */
	bool named;		/* -i NAME: its removal ends the capture */
	int if_id;		/* output interface id */
	int ns;			/* index in live.nss: 0 procap's own namespace */
};

#define MAX_NETNS		64
#define NETNS_RESCAN_MS		1000	/* --netns all: looks for new namespaces this often */
#define NETNS_RING_MAX		(1u << 20)	/* ring of each further namespace */

/* --netns: a namespace captured besides procap's own, with its own capture programs, ring
 * and link monitor (loader_open_ns). */
struct live_ns {
	struct live *lv;
	int idx;
	struct netns_ref ref;
	struct loader *ld;
	struct events *ev;
	int mon_fd;
};

/* A record's owner (or peer) as last turned into a proc_meta. */
struct owner_fill {
	bool have;
	uint8_t src;			/* the record's CAP_SRC_* and owner */
	struct cap_owner owner;
	uint64_t gen;			/* proc_table_gen() when the proc_meta was filled */
};

struct live {
	const struct options *o;
	struct loader *ld;
	struct events *ev;
	struct output *out;
	struct proc_table *procs;
	struct clock_map clk;
	int cg_fd;
	char cg_mnt[PATH_MAX];
	char cg_rel[PATH_MAX];
	int mon_fd;			/* rtnetlink link monitor, or -1 */
	bool any;			/* -i any: new interfaces are captured too */
	bool iface_gone;		/* an -i NAME interface was removed */
	unsigned int dir_mask;
	uint32_t snaplen;
	struct live_if ifs[MAX_LIVE_IFS];
	int n_ifs;
	uint64_t delivered;		/* packets handed to the sinks */
	uint64_t last_drops;
	int sink_err;
	bool sink_done;			/* -G/-W files complete, or stdout's reader gone */
	uint8_t *l3buf;			/* synthetic Ethernet header + packet */
	struct cmd *cmd;
	struct live_ns *nss[MAX_NETNS];	/* [0]: procap's own, loader ld (--netns) */
	int n_ns;
	int cur_ns;			/* the namespace whose records or links are handled */
	int self_ns_fd;			/* to come back after entering another, or -1 */
	bool netns_all;
	struct netns_scan_state netns_scan;
	uint64_t netns_scan_ms;
	int ep;				/* the capture loop's epoll fd, -1 outside it */
	struct loader_cfg *cfg;
	struct ctr_table *ctrs;		/* container names from the runtimes' state */
	struct ctr_watch *ctrw;		/* --container/--pod cgroups, NULL without them */
	struct tlssrc *tls;		/* TLS secrets sources, NULL if not recorded */
	struct resolvnames *rslv;	/* --resolver-names uprobes, NULL without */
	/* The packet handed to the sinks, kept between records: its owner part (1 KB of
	 * strings) is refilled only when the record names another owner or the process table
	 * changed, which a stream of one process's packets never does. */
	struct packet pkt;
	struct owner_fill owner, peer;	/* what pkt.proc and pkt.peer were filled from */
	uint64_t owner_serial;		/* the last proc_meta.serial given out */
	uint64_t cg_id;			/* --cgroup / -- CMD cgroup id, 0 if none */
};

/* Record and link callbacks (events_ops, ifmon_read), called for the namespace lv->cur_ns. */
int live_on_packet(void *ctx, const struct cap_event *e);
struct rslv_event;
void live_on_resolved(void *ctx, const struct rslv_event *e);	/* resolvnames_fn */
void live_on_proc(void *ctx, const struct cap_proc_event *e);
void live_on_link(void *ctx, const struct iface_info *ifi, bool gone);
/* Captures on one more interface of namespace lv->cur_ns; 0 or -errno (printed). */
int live_add_iface(struct live *lv, const struct iface_info *ifi);
/* fd in epoll instance ep for input; a negative fd (nothing to watch) is skipped. 0 or -1
 * with errno set. */
int live_epoll_add(int ep, int fd);

/* --netns (live_netns.c): open and attach the namespaces the options name (0 or -errno);
 * in the capture loop, their records, links and (with all) new namespaces; at the end,
 * detach and drain (drain true), then free. */
int netns_setup(struct live *lv);
/* Namespace ns's ring and link monitor in the capture loop's epoll ep: 0 or -1 with errno set. */
int netns_watch(struct live_ns *ns, int ep);
int netns_poll(struct live *lv, uint64_t now_ms);
void netns_close(struct live *lv, bool drain);

#endif
