// SPDX-License-Identifier: BSD-3-Clause
/* Live capture: load and attach the BPF programs, consume the ring buffer, turn each record
 * into a struct packet (realtime timestamp, interface, direction, owner process) and hand it
 * to the sinks of output.h. Also `procap -- CMD` (capture one command) and -D.
 *
 * Link type: every file procap writes is LINKTYPE_ETHERNET. Packets of L3 devices (tun,
 * wireguard: no link header at TC) get a synthetic 14-byte Ethernet header: zero MAC addresses
 * and the packet's EtherType (skb->protocol); wire and captured lengths include it.
 * Loopback: a packet on lo passes TC egress and then TC ingress; procap captures lo at egress
 * only (each packet once, as `tcpdump -i lo` shows it, and with the sending socket's cookie for
 * attribution); with -Q in it captures lo at ingress only. */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <time.h>

#include "cgroup.h"
#include "clock.h"
#include "cmd.h"
#include "container.h"
#include "ctrwatch.h"
#include "events.h"
#include "events_out.h"
#include "ifaces.h"
#include "linktype.h"
#include "loader.h"
#include "names.h"
#include "netns.h"
#include "output.h"
#include "privs.h"
#include "proc.h"
#include "procfilter.h"
#include "procsock.h"
#include "proctarget.h"
#include "resolvnames.h"
#include "rotate.h"
#include "run.h"
#include "tlssrc.h"
#include "util.h"

#include "live_int.h"

#define PROC_TABLE_SIZE		4096
#define CLOCK_REFRESH_NS	(60ull * 1000000000ull)
/* Reader timeouts: while records come, drain every CAP_WAKE_GAP_MS (a record the BPF side
 * submitted without a wakeup waits no longer than that); when a drain found nothing, the next
 * record wakes the reader itself (bpf/wake.bpf.h), so an idle procap wakes once a second. */
#define BUSY_POLL_MS		CAP_WAKE_GAP_MS
#define IDLE_POLL_MS		1000
#define CMD_GRACE_MS		300	/* after the command exits: its last packets */

static struct live_if *find_if(struct live *lv, int ifindex)
{
	for (int i = 0; i < lv->n_ifs; i++)
		if (lv->ifs[i].ifindex == ifindex && lv->ifs[i].ns == lv->cur_ns)
			return &lv->ifs[i];
	return NULL;
}

/* The table is full: drain the ring (packets of removed interfaces still name them), then
 * free the slots of removed interfaces. True if one was freed. Container hosts create and
 * delete veths all day: slots must not run out after 256 of them ever existed. */
static bool reclaim_gone(struct live *lv)
{
	int before = lv->n_ifs;

	if (lv->ev)
		events_consume(lv->ev);
	for (int i = 0; i < lv->n_ifs; i++)
		if (lv->ifs[i].gone) {
			loader_forget_iface(lv->ifs[i].ns ? lv->nss[lv->ifs[i].ns]->ld : lv->ld,
					    lv->ifs[i].ifindex);	/* a failed attach's loader slot */
			lv->ifs[i--] = lv->ifs[--lv->n_ifs];
		}
	return lv->n_ifs < before;
}

/* Attach on one interface and declare it to the sinks. strict: an error is fatal (-i IFACE);
 * for -i any an interface that cannot be attached is skipped with a warning. */
int live_add_iface(struct live *lv, const struct iface_info *ifi)
{
	unsigned int dirs = lv->dir_mask;
	struct live_if *li;
	int err;

	if (find_if(lv, ifi->ifindex))
		return 0;
	if (lv->n_ifs == MAX_LIVE_IFS && !reclaim_gone(lv)) {
		pr_warn("%s: more than %d interfaces\n", ifi->name, MAX_LIVE_IFS);
		return -E2BIG;
	}
	if (iface_is_loopback(ifi))	/* each lo packet once (see the top of this file) */
		dirs = lv->dir_mask == LOADER_DIR_IN ? LOADER_DIR_IN : LOADER_DIR_OUT;
	li = &lv->ifs[lv->n_ifs];
	memset(li, 0, sizeof(*li));	/* no flag of an earlier occupant */
	li->ifindex = ifi->ifindex;
	li->ns = lv->cur_ns;
	/* another namespace's interface is named LABEL/DEV (netns.h) */
	snprintf(li->name, sizeof(li->name), "%s%s%s", lv->cur_ns ? lv->nss[lv->cur_ns]->ref.label : "",
		 lv->cur_ns ? "/" : "", ifi->name);
	li->l3 = iface_is_l3(ifi);
	li->if_id = output_add_interface(lv->out, li->name, LT_ETHERNET, lv->snaplen);
	if (li->if_id < 0)
		return -EIO;
	lv->n_ifs++;
	err = loader_attach_iface(lv->cur_ns ? lv->nss[lv->cur_ns]->ld : lv->ld, ifi->ifindex, ifi->name, li->l3, ifi->link_netnsid,
				  dirs);
	if (err)
		li->gone = true;	/* removed meanwhile, or refused: the slot is free again */
	return err;
}

/* -i any: a new interface (veth, tun...) is captured from now on (RTM_NEWLINK); a removed
 * one took its TC filters with it (RTM_DELLINK). */
void live_on_link(void *ctx, const struct iface_info *ifi, bool gone)
{
	struct live *lv = ctx;
	struct live_if *li = find_if(lv, ifi->ifindex);

	if (gone) {
		if (li && !li->gone) {
			loader_forget_iface(lv->cur_ns ? lv->nss[lv->cur_ns]->ld : lv->ld, ifi->ifindex);
			li->gone = true;	/* keep the name for packets still in the ring */
			if (li->named) {	/* tcpdump: "The interface disappeared", exit 1 */
				pr_warn("%s: interface disappeared\n", li->name);
				lv->iface_gone = true;
			}
		}
		return;
	}
	if (!lv->any)
		return;	/* -i NAME: only its removal matters */
	if (li && (li->gone || strcmp(li->name + (li->ns ? strlen(lv->nss[li->ns]->ref.label) + 1 : 0),
				       ifi->name))) {	/* index reused, renamed */
		loader_forget_iface(lv->cur_ns ? lv->nss[lv->cur_ns]->ld : lv->ld, ifi->ifindex);
		*li = lv->ifs[--lv->n_ifs];
	}
	if (live_add_iface(lv, ifi))
		pr_warn("not capturing on new interface %s\n", ifi->name);
}

/* Whether m still holds what fill_owner would make of this record's owner: the same record
 * fields and no process table change since. Asked twice per packet, so inline. */
static inline bool owner_filled(const struct live *lv, const struct owner_fill *f, uint8_t src,
				const struct cap_owner *o)
{
	return f->have && src == f->src &&
	       (src == CAP_SRC_NONE ||
		(!memcmp(o, &f->owner, sizeof(*o)) && proc_table_gen(lv->procs) == f->gen));
}

/* A record's owner (or peer) into m, when owner_filled says m does not hold it. */
static __attribute__((noinline)) void fill_owner(struct live *lv, struct owner_fill *f,
						 struct proc_meta *m, uint8_t src,
						 const struct cap_owner *o)
{
	f->have = true;
	f->src = src;
	f->owner = *o;
	if (src == CAP_SRC_NONE) {
		memset(m, 0, sizeof(*m));
		return;
	}
	m->valid = true;
	m->source = src;	/* CAP_SRC_* == enum owner_source */
	m->pid = o->pid;
	m->tid = o->tid;
	m->uid = o->uid;
	m->cgroup_id = o->cgroup_id;
	memcpy(m->comm, o->comm, sizeof(m->comm));
	m->comm[sizeof(m->comm) - 1] = 0;
	proc_table_fill(lv->procs, m);	/* ppid, exe, args, cgroup, container */
	m->serial = ++lv->owner_serial;
	f->gen = proc_table_gen(lv->procs);
}

static void owner_of(struct live *lv, const struct events *ev, const struct cap_event *e)
{
	static const struct cap_owner none;
	const struct cap_owner *peer = events_peer(ev, e);
	uint8_t peer_src = peer ? e->peer_src : CAP_SRC_NONE;

	if (!peer)
		peer = &none;
	if (!owner_filled(lv, &lv->owner, e->owner_src, &e->owner))
		fill_owner(lv, &lv->owner, &lv->pkt.proc, e->owner_src, &e->owner);
	if (!owner_filled(lv, &lv->peer, peer_src, peer))
		fill_owner(lv, &lv->peer, &lv->pkt.peer, peer_src, peer);
}

/* live_on_packet zeroes lv->pkt only up to proc, which owner_of keeps with peer, and sets what
 * follows them (tcp only with has_tcp). */
_Static_assert(sizeof(struct packet) - offsetof(struct packet, proc) ==
	       2 * sizeof(struct proc_meta) + sizeof(uint64_t) + sizeof(struct tcp_state),
	       "fields after packet.proc");

/* Decryption asks for keys in the middle of a packet: the key log lines its client wrote
 * before sending the packet are read now, not after the batch. */
static void live_read_secrets(void *arg)
{
	struct live *lv = arg;

	tlssrc_poll(lv->tls, lv->out);
}

int live_on_packet(void *ctx, const struct cap_event *e)
{
	struct live *lv = ctx;
	struct live_if *li = find_if(lv, (int)e->ifindex);
	struct packet *p = &lv->pkt;
	int rc;

	if (!li)
		return 0;	/* an interface removed meanwhile */
	if (lv->rslv)	/* the names a process looked up before sending this packet */
		resolvnames_poll(lv->rslv, live_on_resolved, lv);
	memset(p, 0, offsetof(struct packet, proc));
	p->ts_ns = clock_to_realtime(&lv->clk, e->ts_ns);
	p->wire_len = e->wire_len;
	p->cap_len = e->cap_len;
	p->data = e->data;
	if (e->flags & CAP_F_L3) {
		memset(lv->l3buf, 0, 12);
		memcpy(lv->l3buf + 12, &e->protocol_be, 2);
		memcpy(lv->l3buf + 14, e->data, e->cap_len);
		p->data = lv->l3buf;
		p->wire_len += 14;
		p->cap_len += 14;
	}
	p->linktype = LT_ETHERNET;
	p->if_id = (uint32_t)li->if_id;
	p->ifname = li->name;
	p->dir = e->dir == CAP_DIR_EGRESS ? PKT_DIR_OUT : PKT_DIR_IN;
	/* records of different CPUs interleave: only count drops forward */
	p->dropcount = e->drops > lv->last_drops ? e->drops - lv->last_drops : 0;
	p->has_dropcount = p->dropcount > 0;	/* 12 bytes a packet saved while nothing drops */
	if (e->drops > lv->last_drops)
		lv->last_drops = e->drops;
	p->procap_meta = true;
	const struct events *ev = lv->cur_ns ? lv->nss[lv->cur_ns]->ev : lv->ev;
	p->has_tcp = events_tcp_state(events_tcpinfo(ev, e), &p->tcp);
	owner_of(lv, ev, e);
	p->number = ++lv->delivered;
	p->has_packet_id = true;	/* epb_packetid: the packet's number in this capture */
	p->packet_id = p->number;
	p->packet_id_ordinal = true;
	rc = output_packet(lv->out, p);
	if (rc == PCAPNG_OUT_LIMIT || rc == -EPIPE) {
		/* a normal end, as in a replay: this packet was not written */
		lv->delivered--;
		lv->sink_done = true;
		return -ECANCELED;
	}
	if (rc < 0) {
		lv->sink_err = rc;
		return rc;
	}
	if (lv->o->count && lv->delivered >= (uint64_t)lv->o->count)
		return -ECANCELED;
	return 0;
}

/* --events shows the processes the capture is about: those its process filters select
 * (checked here: the kernel applies them to packets, not to these records). */
static bool proc_event_wanted(const struct live *lv, const struct cap_proc_event *e,
			      const struct proc_meta *m)
{
	const struct options *o = lv->o;
	bool pid_hit = !o->n_pids;

	for (int i = 0; i < o->n_pids; i++)
		if (o->pids[i] == e->pid || (o->follow_forks && o->pids[i] == e->ppid))
			pid_hit = true;
	if (!pid_hit || (o->comm && strncmp(e->comm, o->comm, CAP_COMM_LEN)) ||
	    (o->has_uid && e->uid != o->uid))
		return false;
	/* the cgroup itself by id (a short-lived process may be gone before its path is read),
	 * cgroups below it by path */
	if ((o->cgroup || o->cmd) && e->cgroup_id != lv->cg_id && strcmp(lv->cg_rel, "/")) {
		size_t n = strlen(lv->cg_rel);
		return !strncmp(m->cgroup, lv->cg_rel, n) && m->cgroup[n] == '/';
	}
	return true;
}

/* Fills m for the process of e (exe and args, the cgroup path) and tells whether the process
 * filters select it. */
static bool proc_event_fill(const struct live *lv, const struct cap_proc_event *e,
			    struct proc_meta *m)
{
	memset(m, 0, sizeof(*m));
	m->pid = e->pid;
	m->uid = e->uid;
	m->cgroup_id = e->cgroup_id;
	memcpy(m->comm, e->comm, sizeof(m->comm));
	m->comm[sizeof(m->comm) - 1] = 0;
	proc_table_fill(lv->procs, m);
	return proc_event_wanted(lv, e, m);
}

static void report_proc_event(struct live *lv, const struct cap_proc_event *e)
{
	struct proc_meta m;

	if (!proc_event_fill(lv, e, &m))
		return;
	struct proc_event pe = {
		.kind = e->kind == CAP_KIND_EXEC ? PROC_EV_EXEC : PROC_EV_EXIT,
		.ts_ns = clock_to_realtime(&lv->clk, e->ts_ns),
		.pid = e->pid, .ppid = e->ppid, .uid = e->uid, .status = e->exit_code,
		.lifetime_ns = e->ts_ns > e->start_ns ? e->ts_ns - e->start_ns : 0,
		.comm = m.comm, .exe = m.exe, .args = m.args,
	};
	output_proc_event(lv->out, &pe);
}

void live_on_proc(void *ctx, const struct cap_proc_event *e)
{
	struct live *lv = ctx;

	proc_table_event(lv->procs, e);
	if (lv->rslv && e->kind == CAP_KIND_EXEC)	/* a container started since */
		resolvnames_exec(lv->rslv, e->pid);
	if (lv->o->events && lv->out)
		report_proc_event(lv, e);
}

/* A resolver result (--resolver-names), from the process filters' processes only: a capture
 * of one command does not list the names every other process looked up. */
void live_on_resolved(void *ctx, const struct rslv_event *e)
{
	struct live *lv = ctx;
	const struct options *o = lv->o;

	if (!lv->out)
		return;
	if (o->n_pids || o->comm || o->has_uid || o->cgroup || o->cmd) {
		struct cap_proc_event pe = { .pid = e->pid, .ppid = e->ppid, .uid = e->uid,
					     .cgroup_id = e->cgroup_id };
		struct proc_meta m;

		memcpy(pe.comm, e->comm, sizeof(pe.comm));
		if (!proc_event_fill(lv, &pe, &m))
			return;
	}
	for (uint32_t i = 0; i < e->n_addrs; i++)
		output_name(lv->out, e->ver[i], e->addr[i], e->name, NAME_SRC_RESOLVER);
}

static const struct events_ops live_ops = { .packet = live_on_packet, .proc = live_on_proc };

/* The counters of every namespace's programs. */
static void live_stats(const struct live *lv, struct cap_stats *sum)
{
	loader_stats(lv->ld, sum);
	for (int i = 1; i < lv->n_ns; i++) {
		struct cap_stats st;

		if (!lv->nss[i]->ld)
			continue;
		loader_stats(lv->nss[i]->ld, &st);
		sum->seen += st.seen;
		sum->passed += st.passed;
		sum->ringbuf_full += st.ringbuf_full;
		sum->attributed += st.attributed;
		sum->load_err += st.load_err;
	}
}

static void print_stats(struct live *lv)
{
	struct cap_stats st;

	if (lv->o->quiet_stats)
		return;
	live_stats(lv, &st);
	fprintf(stderr, "%llu packets captured\n%llu packets received by filter\n"
		"%llu packets dropped by kernel\n", (unsigned long long)lv->delivered,
		(unsigned long long)st.seen, (unsigned long long)st.ringbuf_full);
	if (lv->o->filter || lv->o->n_pids || lv->o->comm || lv->o->has_uid || lv->o->cgroup ||
	    lv->o->cmd || lv->o->container || lv->o->pod || lv->o->pod_ns)
		fprintf(stderr, "%llu packets passed the filters\n",
			(unsigned long long)st.passed);
	if (verbose_level >= 1)
		fprintf(stderr, "%llu packets attributed to a process\n%llu packets not copied "
			"(load error)\n%llu malformed ring records\n",
			(unsigned long long)st.attributed, (unsigned long long)st.load_err,
			(unsigned long long)(lv->ev ? events_bad(lv->ev) : 0));
}

/* Ring sized to hold at least two of the largest records the snaplen allows. */
static uint32_t ring_bytes(const struct options *o)
{
	uint64_t want = (uint64_t)o->ring_kib * 1024, min = 64 * 1024, pow = 4096;
	uint32_t rec = o->snaplen > CAP_CLASS_3 ? CAP_CLASS_4 : CAP_CLASS_3;

	if (o->snaplen <= CAP_CLASS_2)
		rec = CAP_CLASS_2;
	if (min < 2 * (uint64_t)(rec + sizeof(struct cap_event) + 8))
		min = 2 * (uint64_t)(rec + sizeof(struct cap_event) + 8);
	if (want < min)
		want = min;
	while (pow < want)
		pow <<= 1;
	return (uint32_t)pow;
}

/* -i list (none = any): attach, and for any start the link monitor. */
static int attach_interfaces(struct live *lv)
{
	const struct options *o = lv->o;
	bool any = o->n_ifaces == 0;
	int err;

	for (int i = 0; i < o->n_ifaces; i++)
		if (!strcmp(o->ifaces[i], "any"))
			any = true;
	if (any) {
		struct iface_info *list;
		int n;

		lv->mon_fd = ifmon_open();	/* before the scan: no link can slip between */
		if (lv->mon_fd < 0)
			pr_warn("watch for new interfaces: %s\n", strerror(-lv->mon_fd));
		n = ifaces_scan(&list);
		if (n < 0) {
			pr_warn("list interfaces: %s\n", strerror(-n));
			return n;
		}
		for (int i = 0; i < n; i++)
			if (live_add_iface(lv, &list[i]))
				pr_warn("not capturing on %s\n", list[i].name);
		free(list);
	}
	lv->any = any;
	if (!any) {	/* -i NAME: watched for its removal */
		lv->mon_fd = ifmon_open();
		if (lv->mon_fd < 0)
			pr_warn("watch for removed interfaces: %s\n", strerror(-lv->mon_fd));
	}
	for (int i = 0; i < o->n_ifaces; i++) {
		struct iface_info ifi;

		if (!strcmp(o->ifaces[i], "any"))
			continue;
		err = ifaces_lookup(o->ifaces[i], &ifi);
		if (err == -ENODEV) {
			pr_warn("%s: No such device exists (procap -D lists the interfaces)\n",
				o->ifaces[i]);
			return err;
		}
		if (err || (err = live_add_iface(lv, &ifi))) {
			if (err != -EBUSY && err != -EOPNOTSUPP)
				pr_warn("%s: %s\n", o->ifaces[i], strerror(-err));
			return err;
		}
		find_if(lv, ifi.ifindex)->named = true;
	}
	return 0;
}

static void print_listening(struct live *lv)
{
	const struct options *o = lv->o;
	char names[512] = "any";
	size_t len = 0;

	for (int i = 0; i < o->n_ifaces && len < sizeof(names); i++)
		len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s", i ? ", " : "",
					o->ifaces[i]);
	fprintf(stderr, "listening on %s, link-type EN10MB (Ethernet), snapshot length %u bytes\n",
		names, lv->snaplen);
}

/* Link messages were lost (the monitor's buffer overflowed under churn): a fresh scan tells
 * which interfaces are gone and which are new, so none stays uncaptured or holds its slot. */
static void resync_links(struct live *lv)
{
	struct iface_info *list;
	int n = ifaces_scan(&list);

	if (n < 0) {
		pr_warn("list interfaces: %s\n", strerror(-n));
		return;
	}
	for (int i = 0; i < lv->n_ifs; i++) {
		struct live_if *li = &lv->ifs[i];
		struct iface_info gone = { .ifindex = li->ifindex };
		int j = 0;

		if (li->gone || find_if(lv, li->ifindex) != li)	/* another namespace's */
			continue;
		while (j < n && list[j].ifindex != li->ifindex)
			j++;
		if (j == n)
			live_on_link(lv, &gone, true);
	}
	for (int j = 0; j < n; j++)
		live_on_link(lv, &list[j], false);
	free(list);
}

int live_epoll_add(int ep, int fd)
{
	struct epoll_event ee = { .events = EPOLLIN, .data.fd = fd };

	return fd < 0 ? 0 : epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ee);
}

static uint64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The capture loop: returns 0, or -errno on a sink/ring error. */
static int capture_loop(struct live *lv)
{
	int ep = epoll_create1(EPOLL_CLOEXEC), rc = 0, timeout = BUSY_POLL_MS;
	int child_fd = lv->cmd ? cmd_pidfd(lv->cmd) : -1;
	uint64_t grace_end = 0;	/* -- CMD exited: stop at this time (monotonic ms) */

	if (ep < 0)
		return -errno;
	lv->ep = ep;
	for (int i = 1; i < lv->n_ns; i++) {
		if (!lv->nss[i]->ev)	/* one procap could not capture in: known, skipped */
			continue;
		if (netns_watch(lv->nss[i], ep)) {
			rc = -errno;
			close(ep);
			return rc;
		}
	}
	if (events_watch(lv->ev, ep) || live_epoll_add(ep, lv->mon_fd) ||
	    live_epoll_add(ep, lv->rslv ? resolvnames_fd(lv->rslv) : -1) ||
	    live_epoll_add(ep, lv->ctrw ? ctr_watch_fd(lv->ctrw) : -1) ||
	    live_epoll_add(ep, child_fd) || tlssrc_watch(lv->tls, ep)) {
		rc = -errno;
		close(ep);
		return rc;
	}
	while (!stop_requested) {
		struct epoll_event evs[4];
		int n = epoll_wait(ep, evs, 4, timeout);

		if (n < 0 && errno != EINTR) {
			rc = -errno;
			break;
		}
		if (lv->rslv)	/* names before the packets to their addresses */
			resolvnames_poll(lv->rslv, live_on_resolved, lv);
		if (lv->ctrw)	/* new container cgroups first: their packets come next */
			ctr_watch_poll(lv->ctrw);
		rc = events_consume(lv->ev);
		if (rc >= 0 && lv->n_ns) {
			int nrc = netns_poll(lv, monotonic_ms());
			if (nrc < 0)
				rc = nrc;
		}
		if (rc >= 0 && lv->tls) {
			int trc = tlssrc_poll(lv->tls, lv->out);	/* after the ClientHellos */
			if (trc < 0)
				rc = trc;
		}
		if (rc < 0)
			break;
		timeout = rc > 0 ? BUSY_POLL_MS : IDLE_POLL_MS;
		rc = 0;
		for (int i = 0; i < n; i++)
			if (evs[i].data.fd == lv->mon_fd &&
			    ifmon_read(lv->mon_fd, live_on_link, lv) == -ENOBUFS)
				resync_links(lv);
		if (lv->iface_gone) {
			rc = -ENODEV;
			break;
		}
		if (stats_requested) {
			stats_requested = 0;
			print_stats(lv);
			output_flush(lv->out);
		}
		if (lv->cmd && !grace_end && cmd_exited(lv->cmd)) {
			if (child_fd >= 0)
				epoll_ctl(ep, EPOLL_CTL_DEL, child_fd, NULL);
			grace_end = monotonic_ms() + CMD_GRACE_MS;
		}
		if (grace_end) {
			uint64_t now = monotonic_ms();

			if (now >= grace_end)
				break;
			if (grace_end - now < (uint64_t)timeout)
				timeout = (int)(grace_end - now);
		}
		clock_refresh(&lv->clk, CLOCK_REFRESH_NS);
		rc = output_timer(lv->out, clock_to_realtime(&lv->clk, monotonic_ms() * 1000000),
				  &timeout);
		if (rc == PCAPNG_OUT_LIMIT || rc == -EPIPE) {
			lv->sink_done = true;
			rc = 0;
			break;
		}
		if (rc < 0) {
			lv->sink_err = rc;
			break;
		}
		output_time(lv->out, clock_to_realtime(&lv->clk, monotonic_ms() * 1000000));
	}
	close(ep);
	return rc == -ECANCELED ? 0 : rc;
}

static int live_setup(struct live *lv, struct loader_cfg *cfg)
{
	const struct options *o = lv->o;
	int err;

	err = procfilter_config(o, lv->cg_fd, lv->cg_mnt, cfg, lv->cg_rel, sizeof(lv->cg_rel));
	if (err)
		return err;
	err = tlssrc_open(&lv->tls, o);	/* before the fork: the command's SSLKEYLOGFILE */
	if (err)
		return err;
	if (o->cmd) {
		if (lv->cg_fd < 0) {
			pr_warn("-- %s: no cgroup v2 hierarchy to run it in\n", o->cmd[0]);
			return -ENOENT;
		}
		err = cmd_prepare(&lv->cmd, o->cmd, lv->cg_fd, o->user, &cfg->cg_id, lv->cg_rel,
				  sizeof(lv->cg_rel));
		tlssrc_forked(lv->tls);
		if (err)
			return err;
		cfg->pf_mask |= CAP_PF_CGROUP;
		cfg->cg_filter = true;
		cfg->cg_level = (uint32_t)cgroup_level(lv->cg_rel);
	}
	lv->cg_id = cfg->cg_filter ? cfg->cg_id : 0;
	err = loader_open(&lv->ld, cfg);
	if (err)
		return err;
	err = procfilter_apply(o, loader_pid_filter_fd(lv->ld));
	if (err)
		return err;
	struct ctr_query cq = { .container = o->container, .pod = o->pod, .pod_ns = o->pod_ns };
	if (ctr_query_active(&cq)) {
		err = ctr_watch_start(&lv->ctrw, &cq, lv->ctrs, lv->cg_fd,
				      loader_cgroup_set_fd(lv->ld));
		if (err)
			return err;
		pr_debug("container filter: %u cgroups at start\n", ctr_watch_selected(lv->ctrw));
	}
	if (lv->cg_fd >= 0)
		err = loader_attach_hooks(lv->ld, lv->cg_fd);
	else
		pr_warn("no cgroup v2 hierarchy: packets are attributed through /proc only\n");
	if (err)
		return err;
	struct procsock_cfg pc = {
		.tuple_map_fd = loader_tuple_fd(lv->ld), .sock_map_fd = loader_sock_fd(lv->ld),
		.cgroup_root_fd = lv->cg_fd,
		.cg_target = cfg->cg_filter ? lv->cg_rel : NULL,
	};
	err = procsock_scan(&pc);
	if (err < 0)
		pr_warn("scan existing sockets in /proc: %s\n", strerror(-err));
	lv->ev = events_new(loader_events_fd(lv->ld), &live_ops, lv);
	if (!lv->ev) {
		err = -errno;
		pr_warn("ring buffer: %s\n", strerror(-err));
		return err;
	}
	/* before -Z (loading and attaching uprobes, reading every process's maps need root), the
	 * command and "listening on" */
	if (o->resolver_names) {
		lv->rslv = resolvnames_open();
		if (!lv->rslv)
			return -EIO;
	}
	/* -Z: programs and hooks are loaded; the -w file is created as the user (tcpdump's
	 * order). CAP_BPF and CAP_NET_ADMIN stay, to attach new interfaces and detach at exit. */
	if (privs_drop(o->user, true))
		return -EPERM;
	lv->out = output_open(o);
	if (lv->out && lv->tls)
		output_set_secrets_source(lv->out, live_read_secrets, lv);
	if (!lv->out)
		return -EIO;
	err = attach_interfaces(lv);
	if (!err)
		err = netns_setup(lv);
	if (err)
		return err;
	if (!o->extcap)	/* Wireshark reports any stderr line of an extcap as an error */
		print_listening(lv);
	if (lv->cmd)
		return cmd_start(lv->cmd);
	return 0;
}

int live_run(const struct options *o)
{
	struct live lv;
	struct loader_cfg cfg;
	struct capture_stats cs;
	struct cap_stats st;
	bool started;
	int err, rc = 1;

	memset(&lv, 0, sizeof(lv));
	memset(&cfg, 0, sizeof(cfg));
	lv.o = o;
	lv.mon_fd = -1;
	lv.ep = -1;
	lv.self_ns_fd = -1;
	lv.cfg = &cfg;
	/* first: `ip netns exec` hides the cgroup mount behind a fresh /sys (cgroup.h) */
	lv.cg_fd = cgroup_root_open(lv.cg_mnt, sizeof(lv.cg_mnt));
	if (lv.cg_fd >= 0)
		cmd_remove_stale(lv.cg_fd);
	lv.snaplen = o->snaplen ? o->snaplen : 262144;
	lv.dir_mask = o->direction == 1 ? LOADER_DIR_IN :
		      o->direction == 2 ? LOADER_DIR_OUT : LOADER_DIR_IN | LOADER_DIR_OUT;
	lv.procs = proc_table_new(PROC_TABLE_SIZE, lv.cg_fd);
	if (o->no_args)
		proc_table_omit_args(lv.procs);
	lv.ctrs = ctr_table_new(getenv("PROCAP_HOST_ROOT"));
	proc_table_set_containers(lv.procs, lv.ctrs);
	lv.l3buf = xmalloc(CAP_DATA_MAX + 14);
	cfg.snaplen = lv.snaplen;
	cfg.ring_bytes = ring_bytes(o);
	cfg.filter = o->filter;
	cfg.xdp = o->xdp;
	cfg.immediate = o->immediate;
	cfg.tcpinfo = o->tcpinfo;
	cfg.egress_learn_only = lv.dir_mask == LOADER_DIR_IN;
	if (clock_calibrate(&lv.clk))
		pr_warn("clock calibration failed: timestamps may be off\n");

	proctarget_warn_absent(o);
	err = live_setup(&lv, &cfg);
	started = !err;
	if (started)
		err = capture_loop(&lv);
	if (!err)
		rc = 0;
	if (lv.ld) {
		/* detach first, then drain what is still in the ring */
		live_stats(&lv, &st);
		if (lv.ev && !lv.sink_err && !lv.sink_done &&
		    !(o->count && lv.delivered >= (uint64_t)o->count)) {
			loader_close_attachments(lv.ld);
			events_consume(lv.ev);
			netns_close(&lv, true);
		}
		live_stats(&lv, &st);
		if (started)
			print_stats(&lv);
	}
	if (lv.out) {
		tlssrc_poll(lv.tls, lv.out);	/* the command's last secrets */
		memset(&cs, 0, sizeof(cs));
		if (lv.ld) {
			cs.seen = st.seen;
			cs.filtered = st.passed;
			cs.dropped = st.ringbuf_full;
		}
		cs.captured = lv.delivered;
		int crc = output_close(lv.out, &cs);
		if (crc < 0 && crc != -EPIPE)	/* stdout's reader gone: tcpdump exits 0 too */
			rc = 1;
	}
	if (lv.sink_err)
		rc = 1;
	events_free(lv.ev);
	tlssrc_close(lv.tls);
	resolvnames_close(lv.rslv);
	netns_close(&lv, false);
	loader_close(lv.ld);
	if (lv.cmd) {
		int code = cmd_finish(lv.cmd);
		if (rc == 0)
			rc = code;
	}
	if (lv.mon_fd >= 0)
		close(lv.mon_fd);
	if (lv.cg_fd >= 0)
		close(lv.cg_fd);
	proc_table_free(lv.procs);
	ctr_watch_free(lv.ctrw);
	ctr_table_free(lv.ctrs);
	free(lv.l3buf);
	return rc;
}

int live_list_interfaces(void)
{
	int err = ifaces_print(stdout);

	if (err) {
		pr_warn("list interfaces: %s\n", strerror(-err));
		return 1;
	}
	return 0;
}
