// SPDX-License-Identifier: BSD-3-Clause
/* --plot: per flow, the --tcpinfo time series drawn as an SVG (see plot.h). A flow is the local
 * socket's: egress segments and the ACKs coming back carry the same socket's state, so both
 * directions add points. Each series is one <polyline class="series" data-field=...> with a
 * point per recorded segment, so a reader (or the e2e test) can count and read them. */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "plot.h"
#include "util.h"

#define PLOT_FLOWS_MAX	16	/* charts in one file: the first flows seen */
#define SSTHRESH_INF	0x7fffffffu

struct point {
	double t;		/* seconds since the capture's first point */
	uint32_t cwnd, ssthresh, srtt_us, in_flight;
};

struct flow {
	uint8_t ver, laddr[16], raddr[16];
	uint16_t lport, rport;
	char title[512];
	struct point *pts;
	size_t n, cap;
};

struct plot {
	char *path;
	struct flow flows[PLOT_FLOWS_MAX];
	int n_flows;
	uint64_t skipped_flows;
	uint64_t t0_ns;
};

struct plot *plot_new(const char *path)
{
	struct plot *pl = xcalloc(1, sizeof(*pl));

	pl->path = xstrdup(path);
	return pl;
}

static struct flow *find_flow(struct plot *pl, const struct packet *p, const struct pkt_meta *m,
			      const char *sni)
{
	bool out = p->dir != PKT_DIR_IN;	/* the local end: the sender of what leaves */
	const uint8_t *la = out ? m->src : m->dst, *ra = out ? m->dst : m->src;
	uint16_t lp = out ? m->sport : m->dport, rp = out ? m->dport : m->sport;
	char l[64], r[64];
	struct flow *f;

	for (int i = 0; i < pl->n_flows; i++) {
		f = &pl->flows[i];
		if (f->ver == m->ip_ver && f->lport == lp && f->rport == rp &&
		    !memcmp(f->laddr, la, 16) && !memcmp(f->raddr, ra, 16))
			return f;
	}
	if (pl->n_flows == PLOT_FLOWS_MAX) {
		pl->skipped_flows++;
		return NULL;
	}
	f = &pl->flows[pl->n_flows++];
	f->ver = m->ip_ver;
	memcpy(f->laddr, la, 16);
	memcpy(f->raddr, ra, 16);
	f->lport = lp;
	f->rport = rp;
	addr_to_str(f->ver, la, l, sizeof(l));
	addr_to_str(f->ver, ra, r, sizeof(r));
	if (p->proc.valid)
		snprintf(f->title, sizeof(f->title), "%s (pid %u)  ", p->proc.comm, p->proc.pid);
	snprintf(f->title + strlen(f->title), sizeof(f->title) - strlen(f->title),
		 "%s%s%s:%u \u2192 %s%s%s:%u%s%s", f->ver == 6 ? "[" : "", l, f->ver == 6 ? "]" : "",
		 lp, f->ver == 6 ? "[" : "", r, f->ver == 6 ? "]" : "", rp,
		 sni && *sni ? "  SNI " : "", sni && *sni ? sni : "");
	return f;
}

void plot_add(struct plot *pl, const struct packet *p, const struct pkt_meta *m, const char *sni)
{
	struct flow *f;
	struct point *pt;

	if (!pl || !p->has_tcp || (m->ip_ver != 4 && m->ip_ver != 6) || m->l4_proto != 6)
		return;
	f = find_flow(pl, p, m, sni);
	if (!f)
		return;
	if (!pl->t0_ns)
		pl->t0_ns = p->ts_ns;
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 256;
		f->pts = xrealloc(f->pts, f->cap * sizeof(*f->pts));
	}
	pt = &f->pts[f->n++];
	pt->t = p->ts_ns >= pl->t0_ns ? (double)(p->ts_ns - pl->t0_ns) / 1e9 : 0;
	pt->cwnd = p->tcp.cwnd;
	pt->ssthresh = p->tcp.ssthresh;
	pt->srtt_us = p->tcp.srtt_us;
	pt->in_flight = p->tcp.in_flight;
}

/* ---- drawing ---- */

#define W		960
#define PANEL_H		170
#define LEFT		80
#define RIGHT		170	/* legend column */
#define TOP_GAP		40	/* title */
#define PANEL_GAP	34

/* the smallest of 1, 2, 5 x 10^k at least max/4: four or five ticks */
static double tick_step(double max)
{
	double step = 1;

	while (step * 4 < max)
		step *= (step * 2 * 4 >= max) ? 2 : (step * 5 * 4 >= max) ? 5 : 10;
	return step;
}

struct series {
	const char *field, *label, *color;
	double scale;		/* value -> axis unit */
	size_t off;		/* in struct point */
};

static double value(const struct point *p, const struct series *s)
{
	return *(const uint32_t *)(const void *)((const char *)p + s->off) * s->scale;
}

/* A panel: axes, grid, ticks, the series and their legend; y0: its top. */
static void panel(FILE *o, const struct flow *f, double tmax, int y0, const char *unit,
		  const struct series *ss, int n_series)
{
	double vmax = 0, step, ymax;
	int plot_w = W - LEFT - RIGHT;

	for (int s = 0; s < n_series; s++)
		for (size_t i = 0; i < f->n; i++) {
			double v = value(&f->pts[i], &ss[s]);

			if (!(ss[s].off == offsetof(struct point, ssthresh) &&
			      f->pts[i].ssthresh >= SSTHRESH_INF) && v > vmax)
				vmax = v;
		}
	if (vmax <= 0)
		vmax = 1;
	step = tick_step(vmax);
	ymax = step * (double)(int)(vmax / step + 1);
	fprintf(o, "<g class=\"panel\" data-unit=\"%s\">\n", unit);
	fprintf(o, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
		"stroke=\"#444\"/>\n", LEFT, y0, plot_w, PANEL_H);
	for (double v = 0; v <= ymax + step / 2; v += step) {
		double y = y0 + PANEL_H - v / ymax * PANEL_H;

		fprintf(o, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
			"<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\">%g</text>\n",
			LEFT, LEFT + plot_w, y, y, LEFT - 6, y + 4, v);
	}
	fprintf(o, "<text transform=\"translate(%d,%d) rotate(-90)\" text-anchor=\"middle\" "
		"font-size=\"12\">%s</text>\n", 18, y0 + PANEL_H / 2, unit);
	for (int s = 0; s < n_series; s++) {
		fprintf(o, "<polyline class=\"series\" data-field=\"%s\" fill=\"none\" "
			"stroke=\"%s\" stroke-width=\"1.2\" points=\"", ss[s].field, ss[s].color);
		for (size_t i = 0; i < f->n; i++) {
			double v = value(&f->pts[i], &ss[s]);

			if (ss[s].off == offsetof(struct point, ssthresh) &&
			    f->pts[i].ssthresh >= SSTHRESH_INF)
				v = ymax;	/* no loss yet: drawn along the top */
			fprintf(o, "%s%.2f,%.2f", i ? " " : "",
				LEFT + (tmax > 0 ? f->pts[i].t / tmax : 0) * plot_w,
				y0 + PANEL_H - (v > ymax ? ymax : v) / ymax * PANEL_H);
		}
		fprintf(o, "\"/>\n<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"3\" fill=\"%s\"/>"
			"<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>\n",
			W - RIGHT + 12, y0 + 14 + 18 * s, ss[s].color, W - RIGHT + 32,
			y0 + 19 + 18 * s, ss[s].label);
	}
	fprintf(o, "</g>\n");
}

static void chart(FILE *o, const struct flow *f, int y0)
{
	static const struct series win[] = {
		{ "cwnd", "cwnd", "#1f77b4", 1, offsetof(struct point, cwnd) },
		{ "ssthresh", "ssthresh (top: none yet)", "#d62728", 1,
		  offsetof(struct point, ssthresh) },
	};
	static const struct series flight[] = {
		{ "bytes_in_flight", "bytes in flight", "#2ca02c", 1.0 / 1024,
		  offsetof(struct point, in_flight) },
	};
	static const struct series rtt[] = {
		{ "srtt", "srtt", "#9467bd", 1.0 / 1000, offsetof(struct point, srtt_us) },
	};
	double tmax = f->n ? f->pts[f->n - 1].t - f->pts[0].t : 0;
	int plot_w = W - LEFT - RIGHT, y = y0 + TOP_GAP;
	char esc[sizeof(f->title) * 6];
	size_t j = 0;

	for (const char *c = f->title; *c && j + 7 < sizeof(esc); c++) {
		const char *r = *c == '<' ? "&lt;" : *c == '>' ? "&gt;" : *c == '&' ? "&amp;" :
				*c == '"' ? "&quot;" : NULL;
		if (r) {
			memcpy(esc + j, r, strlen(r));
			j += strlen(r);
		} else if ((unsigned char)*c >= 0x20) {
			esc[j++] = *c;
		}
	}
	esc[j] = 0;
	fprintf(o, "<g class=\"flow\" data-points=\"%zu\">\n<text x=\"%d\" y=\"%d\" "
		"font-size=\"15\" font-weight=\"bold\">%s</text>\n", f->n, LEFT, y0 + 24, esc);
	/* the time axis is shared: points are placed from the flow's first one */
	struct flow shifted = *f;
	struct point *pts = xcalloc(f->n ? f->n : 1, sizeof(*pts));
	for (size_t i = 0; i < f->n; i++) {
		pts[i] = f->pts[i];
		pts[i].t -= f->pts[0].t;
	}
	shifted.pts = pts;
	panel(o, &shifted, tmax, y, "segments", win, 2);
	y += PANEL_H + PANEL_GAP;
	panel(o, &shifted, tmax, y, "KiB", flight, 1);
	y += PANEL_H + PANEL_GAP;
	panel(o, &shifted, tmax, y, "ms", rtt, 1);
	free(pts);
	double step = tick_step(tmax > 0 ? tmax : 1);
	for (double t = 0; t <= tmax + step / 1000; t += step) {
		double x = LEFT + (tmax > 0 ? t / tmax : 0) * plot_w;

		fprintf(o, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\">%g"
			"</text>\n", x, y + PANEL_H + 16, t);
	}
	fprintf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\">time (s)"
		"</text>\n</g>\n", LEFT + plot_w / 2, y + PANEL_H + 34);
}

#define CHART_H	(TOP_GAP + 3 * PANEL_H + 2 * PANEL_GAP + 60)

int plot_close(struct plot *pl)
{
	FILE *o;
	int rc = 0, shown = 0;

	if (!pl)
		return 0;
	o = fopen(pl->path, "w");
	if (!o) {
		rc = -errno;
		fprintf(stderr, "procap: %s: %s\n", pl->path, strerror(errno));
	} else {
		for (int i = 0; i < pl->n_flows; i++)
			shown += pl->flows[i].n > 0;
		fprintf(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
			"width=\"%d\" height=\"%d\" font-family=\"sans-serif\">\n"
			"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n", W,
			shown ? shown * CHART_H : 60);
		if (!shown)
			fprintf(o, "<text x=\"20\" y=\"35\">no TCP segments with tcpinfo "
				"(capture with --tcpinfo)</text>\n");
		if (pl->skipped_flows)
			fprintf(o, "<!-- %" PRIu64 " segments of further flows not drawn -->\n",
				pl->skipped_flows);
		for (int i = 0, k = 0; i < pl->n_flows; i++)
			if (pl->flows[i].n)
				chart(o, &pl->flows[i], k++ * CHART_H);
		fprintf(o, "</svg>\n");
		if (fclose(o) && !rc) {
			rc = -errno;
			fprintf(stderr, "procap: %s: %s\n", pl->path, strerror(errno));
		}
	}
	for (int i = 0; i < pl->n_flows; i++)
		free(pl->flows[i].pts);
	free(pl->path);
	free(pl);
	return rc;
}
