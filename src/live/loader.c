// SPDX-License-Identifier: BSD-3-Clause
/* BPF lifecycle (see loader.h). Split lifecycle: __open() -> rodata and map sizes -> filter
 * splice -> __load() -> attach, with everything undone by loader_close(). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "capture.skel.h"
#include "sock.skel.h"
#include "filter.h"
#include "linktype.h"
#include "loader.h"
#include "procsock.h"
#include "util.h"

#define MAX_IFS		256
#define MAX_LINKS	32

/* tcx attach types (enum bpf_attach_type, Linux 6.6), newer than the build's UAPI headers. */
#define LOADER_TCX_INGRESS	46
#define LOADER_TCX_EGRESS	47

struct attached_if {
	int ifindex;
	char name[32];
	int tcx_in, tcx_out;	/* tcx link fds, -1 if none */
	bool clsact;		/* clsact qdisc checked or created (kernels without tcx) */
	bool qdisc_created;	/* procap created the clsact qdisc (now, or a killed run
				   whose filters we removed): remove it at exit if empty */
	bool in, out;		/* TC filters procap added */
	uint32_t prio_in, prio_out;
	struct bpf_link *xdp;
};

struct loader {
	struct capture_bpf *cap;
	struct sock_bpf *sock;
	struct filter_prog *fp;
	struct bpf_link *links[MAX_LINKS];
	int n_links;
	struct attached_if ifs[MAX_IFS];
	int n_ifs;
	bool no_tcx;		/* the kernel refused a tcx link: clsact from then on */
	const struct loader *primary;	/* loader_open_ns(): whose owner maps it shares */
	bool egress_learn_only;	/* -Q in: egress attached to learn owners only */
};

/* True if a process holds an fd of BPF program prog_id (then its procap is alive). */
static bool prog_in_use(uint32_t prog_id)
{
	DIR *proc = opendir("/proc");
	struct dirent *de;
	bool used = false;

	if (!proc)
		return true;	/* cannot tell: leave it alone */
	while (!used && (de = readdir(proc))) {
		char dir[64];
		DIR *fds;
		struct dirent *fe;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(dir, sizeof(dir), "/proc/%.20s/fd", de->d_name);
		fds = opendir(dir);
		if (!fds)
			continue;
		while (!used && (fe = readdir(fds))) {
			char path[128], target[64], line[128];
			FILE *f;

			if (fe->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%.20s", dir, fe->d_name);
			if (read_link(path, target, sizeof(target)) <= 0 ||
			    strcmp(target, "anon_inode:bpf-prog"))
				continue;
			snprintf(path, sizeof(path), "/proc/%.20s/fdinfo/%.20s", de->d_name,
				 fe->d_name);
			f = fopen(path, "re");
			if (!f)
				continue;
			while (fgets(line, sizeof(line), f)) {
				unsigned id;
				if (sscanf(line, "prog_id: %u", &id) == 1 && id == prog_id)
					used = true;
			}
			fclose(f);
		}
		closedir(fds);
	}
	closedir(proc);
	return used;
}

static bool prog_is_procap(uint32_t prog_id)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);
	int fd = bpf_prog_get_fd_by_id(prog_id);
	bool ours = false;

	if (fd < 0)
		return false;
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0)
		ours = !strcmp(info.name, "tc_ingress") || !strcmp(info.name, "tc_egress");
	close(fd);
	return ours;
}

/* Filters on one clsact hook (an RTM_GETTFILTER dump, as `tc filter show`), or -errno. */
static int count_filters(int ifindex, bool ingress)
{
	struct {
		struct nlmsghdr nh;
		struct tcmsg tc;
	} req = {
		.nh = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct tcmsg)),
			.nlmsg_type = RTM_GETTFILTER, .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
			.nlmsg_seq = 1 },
		.tc = { .tcm_family = AF_UNSPEC, .tcm_ifindex = ifindex,
			.tcm_parent = TC_H_MAKE(TC_H_CLSACT,
						ingress ? TC_H_MIN_INGRESS : TC_H_MIN_EGRESS) },
	};
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE), n = 0;
	char buf[8192];
	bool done = false;

	if (fd < 0)
		return -errno;
	if (send(fd, &req, req.nh.nlmsg_len, 0) < 0) {
		n = -errno;
		done = true;
	}
	while (!done) {
		ssize_t got = recv(fd, buf, sizeof(buf), 0);
		int left = (int)got;

		if (got <= 0) {
			n = got < 0 ? -errno : n;
			break;
		}
		for (struct nlmsghdr *nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, left);
		     nh = NLMSG_NEXT(nh, left)) {
			if (nh->nlmsg_type == NLMSG_DONE || nh->nlmsg_type == NLMSG_ERROR) {
				done = true;
				break;
			}
			if (nh->nlmsg_type == RTM_NEWTFILTER)
				n++;
		}
	}
	close(fd);
	return n;
}

/* Finds a free priority slot on hook, removing procap filters whose process is gone. */
static int free_prio(struct bpf_tc_hook *hook, const char *name, uint32_t *prio, bool *stale)
{
	uint32_t end = LOADER_TC_PRIO_BASE + LOADER_TC_PRIO_SLOTS;

	for (uint32_t p = LOADER_TC_PRIO_BASE; p < end; p++) {
		LIBBPF_OPTS(bpf_tc_opts, q, .handle = LOADER_TC_HANDLE, .priority = p);

		if (bpf_tc_query(hook, &q)) {	/* -ENOENT: free */
			*prio = p;
			return 0;
		}
		if (!prog_is_procap(q.prog_id) || prog_in_use(q.prog_id))
			continue;	/* another tool, or a live procap */
		LIBBPF_OPTS(bpf_tc_opts, d, .handle = LOADER_TC_HANDLE, .priority = p);
		if (bpf_tc_detach(hook, &d) == 0) {
			pr_warn("removed a stale procap %s filter on %s (prog id %u)\n",
				hook->attach_point == BPF_TC_INGRESS ? "ingress" : "egress", name,
				q.prog_id);
			*stale = true;
			*prio = p;
			return 0;
		}
	}
	return -EBUSY;
}

static int attach_tc(struct loader *l, struct attached_if *ai, enum bpf_tc_attach_point point,
		     struct bpf_program *prog)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ai->ifindex, .attach_point = point);
	uint32_t prio;
	bool stale = false;
	int err;

	err = free_prio(&hook, ai->name, &prio, &stale);
	if (err) {
		pr_warn("attach %s on %s: every procap priority is taken\n",
			point == BPF_TC_INGRESS ? "ingress" : "egress", ai->name);
		return err;
	}
	/* the clsact of a killed procap: procap's to remove once empty */
	if (stale)
		ai->qdisc_created = true;
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = LOADER_TC_HANDLE, .priority = prio,
		    .prog_fd = bpf_program__fd(prog));
	err = bpf_tc_attach(&hook, &opts);
	if (err) {
		pr_warn("attach %s on %s: %s\n", point == BPF_TC_INGRESS ? "ingress" : "egress",
			ai->name, strerror(-err));
		return err;
	}
	if (point == BPF_TC_INGRESS) {
		ai->in = true;
		ai->prio_in = prio;
	} else {
		ai->out = true;
		ai->prio_out = prio;
	}
	return 0;
}

/* A procap killed while it used clsact filters (PROCAP_NO_TCX=1, or a kernel before tcx) left
 * them behind: a tcx run removes them too, and their clsact once it is empty, so whatever the
 * attach kind, the next procap on the device cleans up. */
static void remove_stale_clsact(struct attached_if *ai, enum bpf_tc_attach_point point)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ai->ifindex, .attach_point = point);
	uint32_t end = LOADER_TC_PRIO_BASE + LOADER_TC_PRIO_SLOTS;
	bool removed = false;

	if (count_filters(ai->ifindex, point == BPF_TC_INGRESS) <= 0)
		return;		/* no clsact, or nothing on it: one netlink dump */
	for (uint32_t p = LOADER_TC_PRIO_BASE; p < end; p++) {
		LIBBPF_OPTS(bpf_tc_opts, q, .handle = LOADER_TC_HANDLE, .priority = p);
		LIBBPF_OPTS(bpf_tc_opts, d, .handle = LOADER_TC_HANDLE, .priority = p);

		if (bpf_tc_query(&hook, &q) || !prog_is_procap(q.prog_id) ||
		    prog_in_use(q.prog_id) || bpf_tc_detach(&hook, &d))
			continue;	/* empty, another tool's, a live procap's */
		pr_warn("removed a stale procap %s filter on %s (prog id %u)\n",
			point == BPF_TC_INGRESS ? "ingress" : "egress", ai->name, q.prog_id);
		removed = true;
	}
	if (removed && count_filters(ai->ifindex, true) == 0 &&
	    count_filters(ai->ifindex, false) == 0) {
		hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
		bpf_tc_hook_destroy(&hook);
	}
}

/* The clsact qdisc both directions of the legacy attach hang on. */
static int ensure_clsact(struct attached_if *ai)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ai->ifindex, .attach_point = BPF_TC_INGRESS);
	int err;

	if (ai->clsact)
		return 0;
	err = bpf_tc_hook_create(&hook);
	if (err && err != -EEXIST) {
		pr_warn("create clsact qdisc on %s: %s\n", ai->name, strerror(-err));
		return err;
	}
	ai->clsact = true;
	ai->qdisc_created = err == 0;
	return 0;
}

/* One direction of TC capture. A tcx link (Linux 6.6) runs the program straight from the
 * device's hook, without the qdisc and classifier layers a clsact filter goes through (2% of
 * a sender's CPU per packet, bench/README.md), and the kernel removes it when procap exits,
 * even when killed. Kernels without tcx refuse the link type (EINVAL): clsact then. */
static int attach_dir(struct loader *l, struct attached_if *ai, enum bpf_tc_attach_point point,
		      struct bpf_program *prog)
{
	int err;

	if (!l->no_tcx) {
		int fd = bpf_link_create(bpf_program__fd(prog), ai->ifindex,
					 point == BPF_TC_INGRESS ? LOADER_TCX_INGRESS :
								   LOADER_TCX_EGRESS, NULL);
		if (fd >= 0) {
			*(point == BPF_TC_INGRESS ? &ai->tcx_in : &ai->tcx_out) = fd;
			remove_stale_clsact(ai, point);
			return 0;
		}
		if (fd != -EINVAL) {
			pr_warn("attach %s on %s: %s\n",
				point == BPF_TC_INGRESS ? "ingress" : "egress", ai->name,
				strerror(-fd));
			return fd;
		}
		l->no_tcx = true;
	}
	err = ensure_clsact(ai);
	return err ? err : attach_tc(l, ai, point, prog);
}

int loader_attach_iface(struct loader *l, int ifindex, const char *name, bool l3,
			int peer_netnsid, unsigned int dir_mask)
{
	struct attached_if *ai;
	uint32_t flags = l3 ? CAP_IF_L3 : 0;

	if (peer_netnsid >= 0 && peer_netnsid < 0xffff)
		flags |= (uint32_t)(peer_netnsid + 1) << CAP_IF_PEER_SHIFT;
	int err;

	for (int i = 0; i < l->n_ifs; i++)
		if (l->ifs[i].ifindex == ifindex)
			return 0;
	if (l->n_ifs == MAX_IFS) {
		pr_warn("attach on %s: more than %d interfaces\n", name, MAX_IFS);
		return -E2BIG;
	}
	ai = &l->ifs[l->n_ifs];
	memset(ai, 0, sizeof(*ai));
	ai->ifindex = ifindex;
	ai->tcx_in = ai->tcx_out = -1;
	snprintf(ai->name, sizeof(ai->name), "%s", name);
	if (bpf_map_update_elem(bpf_map__fd(l->cap->maps.ifcfg), &ifindex, &flags, BPF_ANY)) {
		err = -errno;
		pr_warn("configure %s: %s\n", name, strerror(-err));
		return err;
	}
	__atomic_add_fetch(&l->cap->bss->ifcfg_gen, 1, __ATOMIC_RELEASE);	/* after the update */

	l->n_ifs++;
	if (dir_mask & LOADER_DIR_IN) {
		if (bpf_program__autoload(l->cap->progs.xdp_ingress)) {
			ai->xdp = bpf_program__attach_xdp(l->cap->progs.xdp_ingress, ifindex);
			if (!ai->xdp) {
				err = -errno;
				pr_warn("attach XDP on %s: %s\n", name, strerror(-err));
				return err;
			}
		} else {
			err = attach_dir(l, ai, BPF_TC_INGRESS, l->cap->progs.tc_ingress);
			if (err)
				return err;
		}
	}
	if ((dir_mask & LOADER_DIR_OUT) || l->egress_learn_only)
		return attach_dir(l, ai, BPF_TC_EGRESS, l->cap->progs.tc_egress);
	return 0;
}

static void close_tcx(struct attached_if *ai)
{
	if (ai->tcx_in >= 0)
		close(ai->tcx_in);
	if (ai->tcx_out >= 0)
		close(ai->tcx_out);
	ai->tcx_in = ai->tcx_out = -1;
}

void loader_forget_iface(struct loader *l, int ifindex)
{
	for (int i = 0; i < l->n_ifs; i++) {
		if (l->ifs[i].ifindex != ifindex)
			continue;
		bpf_link__destroy(l->ifs[i].xdp);
		close_tcx(&l->ifs[i]);
		/* thousands of interfaces come and go on a container host: free its entry */
		bpf_map_delete_elem(bpf_map__fd(l->cap->maps.ifcfg), &ifindex);
		l->ifs[i] = l->ifs[--l->n_ifs];
		return;
	}
}

static void detach_iface(struct attached_if *ai)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ai->ifindex);

	bpf_link__destroy(ai->xdp);
	ai->xdp = NULL;
	close_tcx(ai);
	if (ai->in) {
		LIBBPF_OPTS(bpf_tc_opts, d, .handle = LOADER_TC_HANDLE, .priority = ai->prio_in);
		hook.attach_point = BPF_TC_INGRESS;
		bpf_tc_detach(&hook, &d);
	}
	if (ai->out) {
		LIBBPF_OPTS(bpf_tc_opts, d, .handle = LOADER_TC_HANDLE, .priority = ai->prio_out);
		hook.attach_point = BPF_TC_EGRESS;
		bpf_tc_detach(&hook, &d);
	}
	/* only an empty clsact: another tool may have added filters to the one procap made */
	if (ai->qdisc_created && count_filters(ai->ifindex, true) == 0 &&
	    count_filters(ai->ifindex, false) == 0) {
		hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
		bpf_tc_hook_destroy(&hook);
	}
}

static int add_link(struct loader *l, struct bpf_program *prog, struct bpf_link *link)
{
	if (!link) {
		int err = -errno;
		pr_warn("attach %s: %s\n", bpf_program__name(prog), strerror(-err));
		return err;
	}
	if (l->n_links == MAX_LINKS) {
		bpf_link__destroy(link);
		return -E2BIG;
	}
	l->links[l->n_links++] = link;
	return 0;
}

int loader_attach_hooks(struct loader *l, int cgroup_root_fd)
{
	struct bpf_program *prog;
	int err;

	bpf_object__for_each_program(prog, l->sock->obj) {
		if (!bpf_program__autoload(prog))
			continue;
		if (bpf_program__type(prog) == BPF_PROG_TYPE_RAW_TRACEPOINT)
			err = add_link(l, prog, bpf_program__attach(prog));
		else
			err = add_link(l, prog, bpf_program__attach_cgroup(prog, cgroup_root_fd));
		if (err)
			return err;
	}
	return 0;
}

/* -v and -vv are tcpdump's packet verbosity, so libbpf speaks from -vvv on: warnings at -vvv,
 * info at -vvvv, debug (verifier logs) at -vvvvv. procap reports failures itself. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && verbose_level < 5)
		return 0;
	if (level == LIBBPF_INFO && verbose_level < 4)
		return 0;
	if (level == LIBBPF_WARN && verbose_level < 3)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* Ring bytes waiting that force a wakeup (bpf/wake.bpf.h): a quarter of the ring, at most
 * 256 KiB, so a flood is read in batches long before the ring is full. */
static uint32_t wake_bytes(const struct loader_cfg *cfg)
{
	if (cfg->immediate)
		return 1;	/* with a wake gap of 0: a wakeup per record */
	return cfg->ring_bytes / 4 < 256 * 1024 ? cfg->ring_bytes / 4 : 256 * 1024;
}

static uint64_t wake_gap_ns(const struct loader_cfg *cfg)
{
	return cfg->immediate ? 0 : CAP_WAKE_GAP_MS * 1000000ull;
}

/* The time a 1 GB/s stream of records takes to write wake_bytes (a quarter of the ring): a
 * backlog wakes the reader at most this often, and the ring still holds four such spells. */
static uint64_t wake_backlog_gap_ns(const struct loader_cfg *cfg)
{
	return cfg->immediate ? 0 : wake_bytes(cfg);
}

/* Whether TC programs may read the current task (bpf/owner.bpf.h): every helper it takes. */
static bool tc_reads_current_task(void)
{
	static const enum bpf_func_id helpers[] = {
		BPF_FUNC_get_current_task_btf, BPF_FUNC_get_current_pid_tgid,
		BPF_FUNC_get_current_uid_gid, BPF_FUNC_get_current_comm,
		BPF_FUNC_get_current_cgroup_id, BPF_FUNC_get_current_ancestor_cgroup_id,
	};

	for (size_t i = 0; i < sizeof(helpers) / sizeof(helpers[0]); i++)
		if (libbpf_probe_bpf_helper(BPF_PROG_TYPE_SCHED_CLS, helpers[i], NULL) != 1)
			return false;
	return true;
}

/* A namespace's capture object (loader_open_ns) looks owners up in the primary's maps, which
 * the sock hooks fill for every namespace; its ring and per-interface map are its own. */
static int share_owner_maps(struct loader *l)
{
	static const char *const shared[] = { "sock_owner", "tuple_owner", "pid_filter",
					      "cgroup_set" };

	for (size_t i = 0; i < sizeof(shared) / sizeof(shared[0]); i++) {
		struct bpf_map *m = bpf_object__find_map_by_name(l->cap->obj, shared[i]);
		struct bpf_map *p = bpf_object__find_map_by_name(l->primary->cap->obj, shared[i]);
		int err = m && p ? bpf_map__reuse_fd(m, bpf_map__fd(p)) : -ENOENT;

		if (err) {
			pr_warn("share map %s: %s\n", shared[i], strerror(-err));
			return err;
		}
	}
	return 0;
}

static int load_capture(struct loader *l, const struct loader_cfg *cfg)
{
	char err_msg[512];
	int err;

	if (cfg->filter) {
		err = filter_compile(cfg->filter, LT_ETHERNET, cfg->snaplen, &l->fp, err_msg,
				     sizeof(err_msg));
		if (err) {
			pr_warn("%s\n", err_msg);
			return err;
		}
	}
	l->cap = capture_bpf__open();
	if (!l->cap) {
		err = -errno;
		pr_warn("open capture BPF object: %s\n", strerror(-err));
		return err;
	}
	l->cap->rodata->snaplen = cfg->snaplen;
	l->cap->rodata->pfilter_mask = cfg->pf_mask;
	l->cap->rodata->pf_uid = cfg->pf_uid;
	l->cap->rodata->owner_from_task = tc_reads_current_task();
	l->cap->rodata->egress_capture = !cfg->egress_learn_only;
	l->cap->rodata->tcpinfo_enabled = cfg->tcpinfo;
	l->cap->rodata->capture_netns = procsock_netns_cookie();
	l->egress_learn_only = cfg->egress_learn_only;
	l->cap->rodata->cg_filter = cfg->cg_filter;
	l->cap->rodata->cg_target_id = cfg->cg_id;
	l->cap->rodata->cg_target_level = cfg->cg_level;
	memcpy((char *)l->cap->rodata->pf_comm, cfg->pf_comm, CAP_COMM_LEN);
	bpf_map__set_max_entries(l->cap->maps.events, cfg->ring_bytes);
	l->cap->rodata->wake_bytes = wake_bytes(cfg);
	l->cap->rodata->wake_gap_ns = wake_gap_ns(cfg);
	l->cap->rodata->wake_backlog_gap_ns = wake_backlog_gap_ns(cfg);
	bpf_program__set_autoload(l->cap->progs.xdp_ingress, cfg->xdp);
	if (l->fp) {
		err = filter_attach_to_object(l->cap->obj, l->fp);
		if (err) {
			pr_warn("filter: %s\n", strerror(-err));
			return err;
		}
	}
	if (l->primary && (err = share_owner_maps(l)))
		return err;
	err = capture_bpf__load(l->cap);
	if (err) {
		const char *why = l->fp ? filter_load_error(l->cap->obj) : NULL;
		if (why)
			pr_warn("%s\n", why);
		else
			pr_warn("load capture BPF programs: %s (run as root; -v for details)\n",
				strerror(-err));
	}
	if (l->fp)
		filter_detach_object(l->cap->obj);
	return err;
}

static int load_sock(struct loader *l, const struct loader_cfg *cfg)
{
	int err;

	l->sock = sock_bpf__open();
	if (!l->sock) {
		err = -errno;
		pr_warn("open sock BPF object: %s\n", strerror(-err));
		return err;
	}
	l->sock->rodata->cg_filter = cfg->cg_filter;
	l->sock->rodata->cg_target_id = cfg->cg_id;
	l->sock->rodata->cg_target_level = cfg->cg_level;
	l->sock->rodata->follow_forks = cfg->follow_forks;
	l->sock->rodata->wake_bytes = wake_bytes(cfg);
	l->sock->rodata->wake_gap_ns = wake_gap_ns(cfg);
	l->sock->rodata->wake_backlog_gap_ns = wake_backlog_gap_ns(cfg);
	bpf_program__set_autoload(l->sock->progs.sched_fork, cfg->follow_forks);
	/* one set of maps: the sock hooks write what the capture programs read */
	if ((err = bpf_map__reuse_fd(l->sock->maps.events, bpf_map__fd(l->cap->maps.events))) ||
	    (err = bpf_map__reuse_fd(l->sock->maps.sock_owner,
				     bpf_map__fd(l->cap->maps.sock_owner))) ||
	    (err = bpf_map__reuse_fd(l->sock->maps.tuple_owner,
				     bpf_map__fd(l->cap->maps.tuple_owner))) ||
	    (err = bpf_map__reuse_fd(l->sock->maps.pid_filter,
				     bpf_map__fd(l->cap->maps.pid_filter)))) {
		pr_warn("share maps with the sock hooks: %s\n", strerror(-err));
		return err;
	}
	err = sock_bpf__load(l->sock);
	if (err)
		pr_warn("load cgroup sock hooks: %s (-v for details)\n", strerror(-err));
	return err;
}

int loader_open_ns(struct loader **out, const struct loader_cfg *cfg,
		   const struct loader *primary)
{
	struct loader *l = xcalloc(1, sizeof(*l));
	int err;

	l->no_tcx = primary->no_tcx;
	l->primary = primary;
	err = load_capture(l, cfg);
	if (err) {
		loader_close(l);
		return err;
	}
	*out = l;
	return 0;
}

int loader_open(struct loader **out, const struct loader_cfg *cfg)
{
	struct loader *l = xcalloc(1, sizeof(*l));
	const char *no_tcx = getenv("PROCAP_NO_TCX");
	int err;

	/* the attach of kernels before 6.6, on demand (procap(8) ENVIRONMENT) */
	l->no_tcx = no_tcx && *no_tcx && strcmp(no_tcx, "0");
	libbpf_set_print(libbpf_print);
	err = load_capture(l, cfg);
	if (!err)
		err = load_sock(l, cfg);
	if (err) {
		loader_close(l);
		return err;
	}
	*out = l;
	return 0;
}

int loader_events_fd(const struct loader *l)
{
	return bpf_map__fd(l->cap->maps.events);
}

int loader_tuple_fd(const struct loader *l)
{
	return bpf_map__fd(l->cap->maps.tuple_owner);
}

int loader_sock_fd(const struct loader *l)
{
	if (bpf_map__value_size(l->cap->maps.sock_owner) != SOCK_STATE_SIZE)
		return -1;	/* procsock.h out of step with bpf/maps.bpf.h */
	return bpf_map__fd(l->cap->maps.sock_owner);
}

int loader_pid_filter_fd(const struct loader *l)
{
	return bpf_map__fd(l->cap->maps.pid_filter);
}

int loader_cgroup_set_fd(const struct loader *l)
{
	return bpf_map__fd(l->cap->maps.cgroup_set);
}

void loader_stats(const struct loader *l, struct cap_stats *sum)
{
	int ncpu = libbpf_num_possible_cpus();
	struct cap_stats *per;
	uint32_t key = 0;

	memset(sum, 0, sizeof(*sum));
	if (ncpu <= 0)
		return;
	per = xcalloc((size_t)ncpu, sizeof(*per));
	if (bpf_map_lookup_elem(bpf_map__fd(l->cap->maps.stats), &key, per) == 0) {
		for (int i = 0; i < ncpu; i++) {
			sum->seen += per[i].seen;
			sum->filter_rejected += per[i].filter_rejected;
			sum->proc_rejected += per[i].proc_rejected;
			sum->passed += per[i].passed;
			sum->captured += per[i].captured;
			sum->ringbuf_full += per[i].ringbuf_full;
			sum->load_err += per[i].load_err;
			sum->attributed += per[i].attributed;
		}
	}
	free(per);
}

void loader_close_attachments(struct loader *l)
{
	for (int i = 0; i < l->n_ifs; i++)
		detach_iface(&l->ifs[i]);
	l->n_ifs = 0;
	for (int i = 0; i < l->n_links; i++)
		bpf_link__destroy(l->links[i]);
	l->n_links = 0;
}

void loader_close(struct loader *l)
{
	if (!l)
		return;
	loader_close_attachments(l);
	sock_bpf__destroy(l->sock);
	capture_bpf__destroy(l->cap);
	filter_free(l->fp);
	free(l);
}
