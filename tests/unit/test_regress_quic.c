// SPDX-License-Identifier: BSD-3-Clause
/* Regression tests: every testdata/malformed/quic_* file (a fuzz_quic finding) replayed through
 * tests/fuzz/fuzz_quic.c's checks (see tests/unit/fuzz_replay.h). */
#include "fuzz/fuzz_quic.c"
#define REGRESS_PREFIX "quic_"
#include "fuzz_replay.h"
