// SPDX-License-Identifier: BSD-3-Clause
/* The network interfaces of procap's namespace, from rtnetlink: the list at start (-D, -i any)
 * and the links that appear later (RTM_NEWLINK), so `-i any` also captures on new ones. */
#ifndef PROCAP_IFACES_H
#define PROCAP_IFACES_H

#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>

struct iface_info {
	int ifindex;
	char name[IF_NAMESIZE];
	unsigned int flags;	/* IFF_* */
	unsigned short type;	/* ARPHRD_* */
	int link_netnsid;	/* the other end's namespace (veth), as this one numbers it; -1 */
};

/* Every link of the namespace. Returns the count (list malloc'ed, caller frees) or -errno. */
int ifaces_scan(struct iface_info **list);

/* One link by name. Returns 0, -ENODEV if there is none, or -errno. */
int ifaces_lookup(const char *name, struct iface_info *out);

/* True for devices whose packets have no Ethernet header at TC (tun, wireguard, ppp, ...).
 * Loopback frames carry an Ethernet-like header, so lo is not L3. */
bool iface_is_l3(const struct iface_info *ifi);
bool iface_is_loopback(const struct iface_info *ifi);

/* -D: "1.lo [Up, Running, Loopback]" lines, like tcpdump -D. Returns 0 or -errno. */
int ifaces_print(FILE *out);

/* A non-blocking netlink socket subscribed to link changes; -errno on failure. */
int ifmon_open(void);
/* Reads the pending messages of fd and calls cb for every link that is new or changed
 * (RTM_NEWLINK, gone false) or removed (RTM_DELLINK, gone true). Returns 0, -ENOBUFS when
 * messages were lost (the caller must rescan the links), or -errno. */
int ifmon_read(int fd, void (*cb)(void *ctx, const struct iface_info *ifi, bool gone),
	       void *ctx);

#endif
