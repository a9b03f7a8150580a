// SPDX-License-Identifier: BSD-3-Clause
/* Dispatch from base.c to the registered dissectors (registry.c). */
#ifndef PROCAP_REGISTRY_H
#define PROCAP_REGISTRY_H

#include "dissect.h"

/* Offers the layer's payload c to the dissectors of that layer: first those whose hint matches
 * (IP protocol, or either port), then the others, in table order. The first that does not say
 * NOT_MINE fills *out (zeroed here first; out->by, rc and depth set here) and its rc is
 * returned; NOT_MINE if none took it. */
enum dissect_rc dissect_dispatch(struct dissect_ctx *ctx, enum dissect_layer layer,
				 const struct pkt_meta *m, struct cursor c,
				 struct dissect_result *out);

#endif
