// SPDX-License-Identifier: BSD-3-Clause
/* A --pid or --comm that names no running process is most often a typo: say so on stderr before
 * the capture starts (it still runs: a process of that name may start later). */
#ifndef PROCAP_PROCTARGET_H
#define PROCAP_PROCTARGET_H

#include "opts.h"

void proctarget_warn_absent(const struct options *o);

#endif
