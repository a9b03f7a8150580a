// SPDX-License-Identifier: BSD-3-Clause
/* ctr_peer: one process that is both an HTTP/1.0 server and a client, so every packet a test
 * container sends or receives belongs to the one PID the runtime reports for it:
 *	ctr_peer PORT ROUNDS GOFILE NAME
 * once GOFILE exists (30 s at most), serves PORT and makes ROUNDS rounds of one GET to each
 * IP:PORT GOFILE lists (header "X-From: NAME"), serving its own clients while it waits for
 * each answer (two peers that call each other never deadlock); then serves until killed (60 s
 * at most). The targets come in the file because a container's address is known only once
 * the runtime has started it; every socket is made after GOFILE appears, so a test can start
 * the container before its capture and still have the capture see all of them. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#define MAX_TARGETS	8

static const char reply[] = "HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nok\n";

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One client of the server: its request (up to the blank line or 1 s), the reply, close. */
static void serve_one(int lfd)
{
	char buf[2048];
	size_t got = 0;
	int fd = accept(lfd, NULL, NULL);
	long end = now_ms() + 1000;

	if (fd < 0)
		return;
	while (got < sizeof(buf) - 1 && now_ms() < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 100) <= 0)
			continue;
		n = read(fd, buf + got, sizeof(buf) - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
		buf[got] = 0;
		if (strstr(buf, "\r\n\r\n"))
			break;
	}
	if (write(fd, reply, sizeof(reply) - 1) < 0)
		perror("write");
	close(fd);
}

/* Serves until deadline (monotonic ms). */
static void serve_until(int lfd, long deadline)
{
	while (now_ms() < deadline) {
		struct pollfd p = { .fd = lfd, .events = POLLIN };

		if (poll(&p, 1, 50) > 0)
			serve_one(lfd);
	}
}

/* One GET to target; the server socket is served meanwhile. 0 if an answer came. */
static int get(int lfd, const char *target, const char *name)
{
	char host[64], req[256], buf[512];
	struct sockaddr_in sa = { .sin_family = AF_INET };
	const char *colon = strrchr(target, ':');
	long end = now_ms() + 3000;
	int fd, n, answered = -1;

	if (!colon || colon - target >= (long)sizeof(host))
		return -1;
	memcpy(host, target, (size_t)(colon - target));
	host[colon - target] = 0;
	sa.sin_port = htons((unsigned short)atoi(colon + 1));
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		return -1;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	/* the other peer may not listen yet: it saw its GOFILE a moment later */
	while (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		fd = -1;
		if (now_ms() > end - 1000)
			return -1;
		serve_until(lfd, now_ms() + 100);
		fd = socket(AF_INET, SOCK_STREAM, 0);
	}
	if (fd < 0)
		return -1;
	n = snprintf(req, sizeof(req), "GET / HTTP/1.0\r\nHost: %s\r\nX-From: %s\r\n\r\n", host,
		     name);
	if (write(fd, req, (size_t)n) != n) {
		close(fd);
		return -1;
	}
	while (now_ms() < end) {
		struct pollfd p[2] = { { .fd = fd, .events = POLLIN },
				       { .fd = lfd, .events = POLLIN } };

		if (poll(p, 2, 100) <= 0)
			continue;
		if (p[1].revents & POLLIN)
			serve_one(lfd);
		if (p[0].revents & (POLLIN | POLLHUP)) {
			ssize_t r = read(fd, buf, sizeof(buf));
			if (r <= 0)
				break;
			answered = 0;
		}
	}
	close(fd);
	return answered;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	char targets[MAX_TARGETS][64];
	int lfd, one = 1, rounds, ok = 0, tries = 0, n = 0;
	FILE *go;

	if (argc != 5) {
		fprintf(stderr, "usage: ctr_peer PORT ROUNDS GOFILE NAME\n");
		return 2;
	}
	rounds = atoi(argv[2]);
	for (long end = now_ms() + 30000; access(argv[3], F_OK) && now_ms() < end;)
		usleep(20 * 1000);
	sa.sin_port = htons((unsigned short)atoi(argv[1]));
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 64)) {
		perror("listen");
		return 1;
	}
	go = fopen(argv[3], "r");
	while (go && n < MAX_TARGETS && fscanf(go, "%63s", targets[n]) == 1)
		n++;
	if (go)
		fclose(go);
	for (int r = 0; r < rounds; r++)
		for (int i = 0; i < n; i++, tries++)
			ok += get(lfd, targets[i], argv[4]) == 0;
	fprintf(stderr, "%s: %d/%d answered\n", argv[4], ok, tries);
	serve_until(lfd, now_ms() + 60000);
	return 0;
}
