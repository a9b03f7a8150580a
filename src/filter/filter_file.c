// SPDX-License-Identifier: BSD-3-Clause
/* -F FILE (see filter_file.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "filter_file.h"
#include "util.h"

/* The whole file, at most FILTER_FILE_MAX bytes; -errno, or -EFBIG past the cap. Reads until
 * EOF rather than trusting st_size: pipes (-F <(...)) and /proc files report 0. */
static ssize_t read_capped(int fd, char *buf)
{
	size_t len = 0;

	for (;;) {
		ssize_t n = read(fd, buf + len, FILTER_FILE_MAX + 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return (ssize_t)len;
		len += (size_t)n;
		if (len > FILTER_FILE_MAX)
			return -EFBIG;
	}
}

/* Comments out, white space in; checks NULs, line lengths and that something is left. */
static int clean_text(const char *path, char *buf, size_t len)
{
	size_t line_start = 0, line_no = 1;
	bool comment = false, content = false;

	for (size_t i = 0; i < len; i++) {
		char c = buf[i];

		if (c == 0) {
			pr_warn("filter file %s: NUL byte at offset %zu (not a text file)\n", path, i);
			return -1;
		}
		if (c == '\n') {
			comment = false;
			line_start = i + 1;
			line_no++;
		} else if (i - line_start >= FILTER_LINE_MAX) {
			pr_warn("filter file %s: line %zu is longer than %d characters\n", path,
				line_no, FILTER_LINE_MAX);
			return -1;
		}
		if (c == '#')
			comment = true;
		if (comment || c == '\n' || c == '\r' || c == '\t')
			buf[i] = ' ';
		else if (c != ' ')
			content = true;
	}
	buf[len] = 0;
	if (!content) {
		pr_warn("filter file %s: no filter expression in it (only comments or blanks)\n",
			path);
		return -1;
	}
	return 0;
}

int filter_file_read(const char *path, char **expr)
{
	int fd;
	struct stat st;
	char *buf;
	ssize_t len;

	errno = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		pr_warn("cannot read filter file %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || S_ISDIR(st.st_mode)) {
		pr_warn("cannot read filter file %s: %s\n", path, strerror(errno ? errno : EISDIR));
		close(fd);
		return -1;
	}
	if (S_ISREG(st.st_mode) && st.st_size > FILTER_FILE_MAX) {
		pr_warn("filter file %s: larger than %d bytes\n", path, FILTER_FILE_MAX);
		close(fd);
		return -1;
	}
	buf = xmalloc(FILTER_FILE_MAX + 2);
	len = read_capped(fd, buf);
	close(fd);
	if (len == -EFBIG)
		pr_warn("filter file %s: larger than %d bytes\n", path, FILTER_FILE_MAX);
	else if (len < 0)
		pr_warn("cannot read filter file %s: %s\n", path, strerror((int)-len));
	if (len < 0 || clean_text(path, buf, (size_t)len)) {
		free(buf);
		return -1;
	}
	*expr = xrealloc(buf, (size_t)len + 1);
	return 0;
}
