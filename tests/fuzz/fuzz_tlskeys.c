// SPDX-License-Identifier: BSD-3-Clause
/* libFuzzer target for what a command writes into its SSLKEYLOGFILE and what a captured frame
 * holds: tls_client_random() on the input as an Ethernet frame, and tlskeys_secrets() on the
 * input as key log text (no -w file, no key log file: the parser, grouping and hold-back
 * bookkeeping only), after a valid line for the frame's random when it has one.
 * fuzz-seeds: frames */
#include <stdint.h>
#include <string.h>

#include "tls_random.h"
#include "tlskeys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t random[TLS_RANDOM_LEN];
	struct tlskeys *tk = tlskeys_open(NULL, NULL);

	if (!tk)
		return 0;
	if (tls_client_random(data, size, random)) {
		char line[200];
		int n = snprintf(line, sizeof(line), "CLIENT_RANDOM ");

		for (size_t i = 0; i < TLS_RANDOM_LEN; i++)
			n += snprintf(line + n, sizeof(line) - (size_t)n, "%02x", random[i]);
		snprintf(line + n, sizeof(line) - (size_t)n, " %0*d\n", 96, 0);
		tlskeys_secrets(tk, line, strlen(line), NULL);
	}
	tlskeys_secrets(tk, (const char *)data, size, NULL);
	tlskeys_close(tk);
	return 0;
}
