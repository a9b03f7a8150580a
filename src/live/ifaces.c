// SPDX-License-Identifier: BSD-3-Clause
/* Interfaces via rtnetlink (RFC 3549; linux/rtnetlink.h): RTM_GETLINK dumps and the
 * RTNLGRP_LINK multicast group. One parser serves the dump and the monitor. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if_arp.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "ifaces.h"
#include "termsafe.h"
#include "util.h"

#define NL_BUF_SIZE	32768

/* Decodes one RTM_NEWLINK message; false if it carries no name. */
static bool parse_link(const struct nlmsghdr *nh, struct iface_info *ifi)
{
	const struct ifinfomsg *im = NLMSG_DATA(nh);
	int len = (int)nh->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*im));

	if (len < 0)
		return false;
	memset(ifi, 0, sizeof(*ifi));
	ifi->ifindex = im->ifi_index;
	ifi->flags = im->ifi_flags;
	ifi->type = im->ifi_type;
	ifi->link_netnsid = -1;
	for (const struct rtattr *rta = IFLA_RTA(im); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		if (rta->rta_type == IFLA_LINK_NETNSID && RTA_PAYLOAD(rta) >= sizeof(int32_t)) {
			memcpy(&ifi->link_netnsid, RTA_DATA(rta), sizeof(int32_t));
			continue;
		}
		if (rta->rta_type != IFLA_IFNAME)
			continue;
		size_t n = RTA_PAYLOAD(rta);
		if (n >= sizeof(ifi->name))
			n = sizeof(ifi->name) - 1;
		memcpy(ifi->name, RTA_DATA(rta), n);
		ifi->name[n] = 0;
	}
	return ifi->name[0] != 0;
}

int ifaces_scan(struct iface_info **list)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg im;
	} req = {
		.nh = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
			.nlmsg_type = RTM_GETLINK, .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
			.nlmsg_seq = 1 },
		.im = { .ifi_family = AF_UNSPEC },
	};
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE), n = 0, cap = 16;
	char *buf;
	bool done = false;

	if (fd < 0)
		return -errno;
	if (send(fd, &req, req.nh.nlmsg_len, 0) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	buf = xmalloc(NL_BUF_SIZE);
	*list = xcalloc((size_t)cap, sizeof(**list));
	while (!done) {
		ssize_t got = recv(fd, buf, NL_BUF_SIZE, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			n = -errno;
			break;
		}
		int left = (int)got;
		for (struct nlmsghdr *nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, left);
		     nh = NLMSG_NEXT(nh, left)) {
			if (nh->nlmsg_type == NLMSG_DONE || nh->nlmsg_type == NLMSG_ERROR) {
				done = true;
				break;
			}
			if (nh->nlmsg_type != RTM_NEWLINK)
				continue;
			if (n == cap) {
				cap *= 2;
				*list = xrealloc(*list, (size_t)cap * sizeof(**list));
			}
			if (parse_link(nh, &(*list)[n]))
				n++;
		}
		if (got == 0)
			break;
	}
	free(buf);
	close(fd);
	if (n < 0) {
		free(*list);
		*list = NULL;
	}
	return n;
}

int ifaces_lookup(const char *name, struct iface_info *out)
{
	struct iface_info *list;
	int n = ifaces_scan(&list), rc = -ENODEV;

	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		if (!strcmp(list[i].name, name)) {
			*out = list[i];
			rc = 0;
			break;
		}
	}
	free(list);
	return rc;
}

bool iface_is_loopback(const struct iface_info *ifi)
{
	return ifi->type == ARPHRD_LOOPBACK;
}

bool iface_is_l3(const struct iface_info *ifi)
{
	return ifi->type != ARPHRD_ETHER && ifi->type != ARPHRD_LOOPBACK;
}

int ifaces_print(FILE *out)
{
	struct iface_info *list;
	int n = ifaces_scan(&list);

	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		fprintf(out, "%d.%s [%s%s%s]\n", i + 1, TERM_SAFE(list[i].name, sizeof(list[i].name)),
			list[i].flags & IFF_UP ? "Up" : "Down",
			list[i].flags & IFF_RUNNING ? ", Running" : "",
			iface_is_loopback(&list[i]) ? ", Loopback" : "");
	}
	fprintf(out, "%d.any (every interface, also new ones)\n", n + 1);
	free(list);
	return 0;
}

int ifmon_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	/* veth churn on a container host sends bursts of link messages: room for thousands
	 * (FORCE: past rmem_max, as root; otherwise the default stays and ifmon_read reports
	 * the overflow) */
	int rcvbuf = 8 << 20;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	return fd;
}

int ifmon_read(int fd, void (*cb)(void *ctx, const struct iface_info *ifi, bool gone),
	       void *ctx)
{
	char buf[NL_BUF_SIZE];
	bool lost = false;

	for (;;) {
		ssize_t got = recv(fd, buf, sizeof(buf), 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {	/* messages were lost: the caller rescans */
				lost = true;
				continue;
			}
			return errno != EAGAIN ? -errno : lost ? -ENOBUFS : 0;
		}
		int left = (int)got;
		for (struct nlmsghdr *nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, left);
		     nh = NLMSG_NEXT(nh, left)) {
			struct iface_info ifi;
			if ((nh->nlmsg_type == RTM_NEWLINK || nh->nlmsg_type == RTM_DELLINK) &&
			    parse_link(nh, &ifi))
				cb(ctx, &ifi, nh->nlmsg_type == RTM_DELLINK);
		}
	}
}
