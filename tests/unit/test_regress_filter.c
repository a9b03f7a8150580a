// SPDX-License-Identifier: BSD-3-Clause
/* Regression tests: every testdata/malformed/filter_* file (a fuzz_filter finding) replayed through
 * tests/fuzz/fuzz_filter.c's checks (see tests/unit/fuzz_replay.h). */
#include "fuzz/fuzz_filter.c"
#define REGRESS_PREFIX "filter_"
#include "fuzz_replay.h"
