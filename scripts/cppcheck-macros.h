/* SPDX-License-Identifier: BSD-3-Clause */
/* Macros from system headers that cppcheck does not read (make lint passes no system include
 * paths, so it stays fast): libbpf's options initialiser (bpf/libbpf_common.h). */
#define LIBBPF_OPTS(TYPE, NAME, ...) struct TYPE NAME = { .sz = sizeof(struct TYPE), __VA_ARGS__ }
