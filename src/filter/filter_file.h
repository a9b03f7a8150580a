// SPDX-License-Identifier: BSD-3-Clause
/* -F FILE: the filter expression read from a file, failing closed. A filter the operator
 * relies on to keep traffic out of a capture must never silently become "no filter": any read
 * error, a directory, a file over FILTER_FILE_MAX bytes (/dev/urandom, a wrong file), a line
 * over FILTER_LINE_MAX characters, a NUL byte, or a file with no expression at all (only
 * comments) is an error. */
#ifndef PROCAP_FILTER_FILE_H
#define PROCAP_FILTER_FILE_H

#define FILTER_FILE_MAX		(1024 * 1024)
#define FILTER_LINE_MAX		(256 * 1024)

/* Reads path into *expr (malloc'd): '#' starts a comment that runs to the end of its line,
 * as in tcpdump; newlines, tabs and carriage returns become spaces. 0, or -1 after printing
 * one line naming the file. */
int filter_file_read(const char *path, char **expr);

#endif
