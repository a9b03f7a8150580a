// SPDX-License-Identifier: BSD-3-Clause
/*
 * gen: bounded UDP traffic generator for the procap benchmark (bench/run.sh).
 *
 * Sends fixed-size IPv4 UDP datagrams with sendmmsg() as fast as it can (or paced with -r),
 * stopping after -n packets or -t seconds, whichever comes first, and prints one line:
 *   sent=N matched=M errors=E secs=S pps=R
 * -m PORT -M PCT sends PCT percent of the datagrams (evenly spread) to PORT instead of -p, so a
 * capture filter on PORT matches a known share of the flood. --flows N sends from N distinct
 * (source address, source port) pairs through a raw socket (IP_HDRINCL) so a capture sees N
 * distinct flows; the source addresses are -S, -S+1, ... (64000 ports each).
 *
 * It never sends anywhere but the -d address: the harness runs it inside its own network namespace.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH_MAX	256
#define PKT_MAX		9000
#define PORTS_PER_ADDR	64000u
#define FIRST_SPORT	1024u

struct cfg {
	struct in_addr dst, src_base;
	uint16_t port, match_port;
	unsigned match_pct;	/* 0..100 */
	size_t payload;
	uint64_t count;
	double max_secs;
	uint64_t pps;		/* 0 = as fast as possible */
	unsigned batch;
	uint64_t flows;		/* 0 = one ordinary UDP socket */
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: gen -d DST -p PORT [-s PAYLOAD] [-n COUNT] [-t SECS] [-r PPS] [-b BATCH]\n"
		"           [-m PORT -M PCT] [--flows N -S SRCBASE]\n");
}

static int parse_args(int argc, char **argv, struct cfg *c)
{
	static const struct option lopts[] = {
		{ "flows", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	memset(c, 0, sizeof(*c));
	c->payload = 18;
	c->count = 1000000;
	c->max_secs = 10;
	c->batch = 64;
	while ((opt = getopt_long(argc, argv, "d:p:s:n:t:r:b:m:M:S:", lopts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			if (inet_pton(AF_INET, optarg, &c->dst) != 1)
				return -1;
			break;
		case 'S':
			if (inet_pton(AF_INET, optarg, &c->src_base) != 1)
				return -1;
			break;
		case 'p': c->port = (uint16_t)strtoul(optarg, NULL, 10); break;
		case 'm': c->match_port = (uint16_t)strtoul(optarg, NULL, 10); break;
		case 'M': c->match_pct = (unsigned)strtoul(optarg, NULL, 10); break;
		case 's': c->payload = strtoul(optarg, NULL, 10); break;
		case 'n': c->count = strtoull(optarg, NULL, 10); break;
		case 't': c->max_secs = strtod(optarg, NULL); break;
		case 'r': c->pps = strtoull(optarg, NULL, 10); break;
		case 'b': c->batch = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'F': c->flows = strtoull(optarg, NULL, 10); break;
		default: return -1;
		}
	}
	/* Every loop is bounded: refuse unbounded or absurd settings instead of guessing. */
	if (!c->dst.s_addr || !c->port || c->match_pct > 100 || c->batch < 1 ||
	    c->batch > BATCH_MAX || c->payload > PKT_MAX - 28 || c->count < 1 ||
	    c->max_secs <= 0 || c->max_secs > 3600 || (c->flows && !c->src_base.s_addr))
		return -1;
	return 0;
}

/* Datagram number seq goes to the match port when the running share crosses an integer:
 * exactly floor(n * pct / 100) of the first n datagrams, evenly spread. */
static bool is_match(const struct cfg *c, uint64_t seq)
{
	return c->match_port && (seq + 1) * c->match_pct / 100 > seq * c->match_pct / 100;
}

/* Raw-socket datagram for flow number flow: IPv4 header (the kernel fills in the checksum, and
 * the id when it is zero: raw(7)) + UDP header with checksum 0 (allowed for IPv4, RFC 768)
 * + payload. */
static size_t build_raw(const struct cfg *c, uint8_t *buf, uint64_t flow, uint16_t dport)
{
	struct iphdr *ip = (struct iphdr *)buf;
	struct udphdr *udp = (struct udphdr *)(buf + sizeof(*ip));
	size_t len = sizeof(*ip) + sizeof(*udp) + c->payload;

	memset(buf, 0, sizeof(*ip) + sizeof(*udp));
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->tot_len = htons((uint16_t)len);
	ip->saddr = htonl(ntohl(c->src_base.s_addr) + (uint32_t)(flow / PORTS_PER_ADDR));
	ip->daddr = c->dst.s_addr;
	udp->source = htons((uint16_t)(FIRST_SPORT + flow % PORTS_PER_ADDR));
	udp->dest = htons(dport);
	udp->len = htons((uint16_t)(sizeof(*udp) + c->payload));
	return len;
}

int main(int argc, char **argv)
{
	static uint8_t bufs[BATCH_MAX][PKT_MAX];
	struct mmsghdr msgs[BATCH_MAX];
	struct iovec iovs[BATCH_MAX];
	struct sockaddr_in dst[2];
	uint64_t sent = 0, matched = 0, errors = 0, seq = 0;
	struct cfg c;
	int fd;

	if (parse_args(argc, argv, &c)) {
		usage();
		return 2;
	}
	for (int i = 0; i < 2; i++) {
		memset(&dst[i], 0, sizeof(dst[i]));
		dst[i].sin_family = AF_INET;
		dst[i].sin_addr = c.dst;
		dst[i].sin_port = htons(i ? c.match_port : c.port);
	}
	fd = c.flows ? socket(AF_INET, SOCK_RAW, IPPROTO_RAW) : socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("gen: socket");
		return 1;
	}
	for (unsigned i = 0; i < BATCH_MAX; i++)
		memset(bufs[i], 'x', PKT_MAX);

	double start = now(), deadline = start + c.max_secs, t = start;
	while (sent < c.count && t < deadline) {
		unsigned n = c.batch;

		if (c.count - sent < n)
			n = (unsigned)(c.count - sent);
		if (c.pps) {
			/* Pace: never get ahead of pps * elapsed. */
			double due = (double)sent / (double)c.pps;
			if (due > t - start) {
				struct timespec ts = { 0, (long)((due - (t - start)) * 1e9) };
				nanosleep(&ts, NULL);
			}
		}
		for (unsigned i = 0; i < n; i++) {
			bool m = is_match(&c, seq + i);
			uint16_t port = m ? c.match_port : c.port;

			iovs[i].iov_base = bufs[i];
			iovs[i].iov_len = c.payload;
			if (c.flows)
				iovs[i].iov_len = build_raw(&c, bufs[i], (seq + i) % c.flows, port);
			memset(&msgs[i], 0, sizeof(msgs[i]));
			msgs[i].msg_hdr.msg_iov = &iovs[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
			msgs[i].msg_hdr.msg_name = &dst[m];
			msgs[i].msg_hdr.msg_namelen = sizeof(dst[m]);
		}
		int r = sendmmsg(fd, msgs, n, 0);
		if (r < 0) {
			/* ENOBUFS and friends: count and retry the same datagrams. */
			if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR &&
			    errno != ECONNREFUSED) {
				perror("gen: sendmmsg");
				break;
			}
			errors++;
			r = 0;
		}
		for (int i = 0; i < r; i++)
			matched += is_match(&c, seq + (uint64_t)i);
		sent += (uint64_t)r;
		seq += (uint64_t)r;
		t = now();
	}
	double secs = t - start;
	printf("sent=%llu matched=%llu errors=%llu secs=%.3f pps=%.0f\n", (unsigned long long)sent,
	       (unsigned long long)matched, (unsigned long long)errors, secs,
	       secs > 0 ? (double)sent / secs : 0.0);
	close(fd);
	return 0;
}
