// SPDX-License-Identifier: BSD-3-Clause
/* Prints the findings table's strip patterns (src/sink/findings.c), one ERE per line, so the
 * golden harness removes exactly what procap appends to tcpdump's text. */
#include "findings.h"

int main(void)
{
	findings_print_strip_patterns(stdout);
	return 0;
}
