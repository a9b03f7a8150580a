// SPDX-License-Identifier: BSD-3-Clause
/* log2 histograms (see hist.h). The layout follows bcc's print_log2_hist so that output of
 * procap and of the bcc tools it replaces can be read the same way. */
#include <inttypes.h>
#include <stdbool.h>

#include "hist.h"

#define STARS_MAX 40

void hist_add(struct log2_hist *h, uint64_t v)
{
	h->slot[v ? 64 - __builtin_clzll(v) : 1]++;
	h->count++;
}

static int top_slot(const struct log2_hist *h, uint64_t *max)
{
	int top = 0;

	*max = 0;
	for (int i = 1; i < HIST_SLOTS; i++) {
		if (h->slot[i])
			top = i;
		if (h->slot[i] > *max)
			*max = h->slot[i];
	}
	return top;
}

static void slot_range(int i, uint64_t *low, uint64_t *high)
{
	*high = i == 64 ? UINT64_MAX : (UINT64_C(1) << i) - 1;
	*low = (UINT64_C(1) << i) >> 1;
	if (*low == *high)	/* slot 1: 0 -> 1 */
		*low -= 1;
}

void hist_print(FILE *out, const struct log2_hist *h, const char *unit)
{
	uint64_t max;
	int top = top_slot(h, &max);
	bool wide = top > 32;
	int width = wide ? STARS_MAX / 2 : STARS_MAX;

	if (!top)
		return;
	if (wide)
		fprintf(out, "               %-29s : count     distribution\n", unit);
	else
		fprintf(out, "     %-19s : count     distribution\n", unit);
	for (int i = 1; i <= top; i++) {
		uint64_t low, high, v = h->slot[i];
		char bar[STARS_MAX + 1];
		int n = (int)(v * (uint64_t)width / max);

		slot_range(i, &low, &high);
		for (int s = 0; s < n; s++)
			bar[s] = '*';
		bar[n] = 0;
		if (wide)
			fprintf(out, "%20" PRIu64 " -> %-20" PRIu64 " : %-8" PRIu64 " |%-*s|\n", low,
				high, v, width, bar);
		else
			fprintf(out, "%10" PRIu64 " -> %-10" PRIu64 " : %-8" PRIu64 " |%-*s|\n", low,
				high, v, width, bar);
	}
}

void hist_json(FILE *out, const struct log2_hist *h, const char *name, const char *unit)
{
	uint64_t max;
	int top = top_slot(h, &max);

	fprintf(out, "{\"type\":\"histogram\",\"name\":\"%s\",\"unit\":\"%s\",\"count\":%" PRIu64
		",\"buckets\":[", name, unit, h->count);
	for (int i = 1; i <= top; i++) {
		uint64_t low, high;

		slot_range(i, &low, &high);
		fprintf(out, "%s{\"low\":%" PRIu64 ",\"high\":%" PRIu64 ",\"count\":%" PRIu64 "}",
			i > 1 ? "," : "", low, high, h->slot[i]);
	}
	fprintf(out, "]}\n");
}
