// SPDX-License-Identifier: BSD-3-Clause
/* Regression tests: every testdata/malformed/reader_* file (a fuzz_reader finding) replayed through
 * tests/fuzz/fuzz_reader.c's checks (see tests/unit/fuzz_replay.h). */
#include "fuzz/fuzz_reader.c"
#define REGRESS_PREFIX "reader_"
#define REGRESS_INIT() LLVMFuzzerInitialize(NULL, NULL)
#include "fuzz_replay.h"
