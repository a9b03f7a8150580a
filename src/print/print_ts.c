// SPDX-License-Identifier: BSD-3-Clause
/* Timestamps as tcpdump 4.99 prints them, in microseconds:
 *   default  HH:MM:SS.uuuuuu (local time, TZ from the environment)
 *   -t       nothing
 *   -tt      seconds.uuuuuu since the epoch
 *   -ttt     delta since the previous packet, " HH:MM:SS.uuuuuu" ("-" instead of the space when
 *            the packet is older than the previous one)
 *   -tttt    YYYY-MM-DD HH:MM:SS.uuuuuu (local time)
 *   -ttttt   delta since the first packet, like -ttt
 * Each is followed by one space. */
#include <time.h>
#include "print_int.h"

static void hms(struct pbuf *pb, const struct tm *tm)
{
	char s[8];

	s[0] = (char)('0' + tm->tm_hour / 10);
	s[1] = (char)('0' + tm->tm_hour % 10);
	s[2] = ':';
	s[3] = (char)('0' + tm->tm_min / 10);
	s[4] = (char)('0' + tm->tm_min % 10);
	s[5] = ':';
	s[6] = (char)('0' + tm->tm_sec / 10);
	s[7] = (char)('0' + tm->tm_sec % 10);
	pb_mem(pb, s, sizeof(s));
}

static void frac(struct pbuf *pb, uint64_t us)
{
	pb_ch(pb, '.');
	pb_u_pad(pb, us, 6);
	pb_ch(pb, ' ');
}

static void delta(struct pbuf *pb, uint64_t now_us, uint64_t ref_us)
{
	uint64_t d;
	struct tm tm;
	time_t sec;

	if (now_us < ref_us) {
		pb_ch(pb, '-');
		d = ref_us - now_us;
	} else {
		pb_ch(pb, ' ');
		d = now_us - ref_us;
	}
	sec = (time_t)(d / 1000000);
	gmtime_r(&sec, &tm);
	hms(pb, &tm);
	frac(pb, d % 1000000);
}

void print_timestamp(struct pbuf *pb, int tflag, uint64_t ts_ns, struct print_ts_state *st)
{
	uint64_t us = ts_ns / 1000;
	time_t sec = (time_t)(us / 1000000);
	struct tm tm;

	switch (tflag) {
	case 1:
		return;
	case 2:
		pb_u64(pb, (uint64_t)sec);
		frac(pb, us % 1000000);
		return;
	case 3:
	case 5:
		if (!st->have_prev) {
			st->prev_ns = st->first_ns = ts_ns;
			st->have_prev = true;
		}
		delta(pb, us, (tflag == 3 ? st->prev_ns : st->first_ns) / 1000);
		st->prev_ns = ts_ns;
		return;
	case 4:
		localtime_r(&sec, &tm);
		pb_u(pb, (uint64_t)tm.tm_year + 1900);
		pb_ch(pb, '-');
		pb_u_pad(pb, (uint64_t)tm.tm_mon + 1, 2);
		pb_ch(pb, '-');
		pb_u_pad(pb, (uint64_t)tm.tm_mday, 2);
		pb_ch(pb, ' ');
		hms(pb, &tm);
		frac(pb, us % 1000000);
		return;
	default:
		localtime_r(&sec, &tm);
		hms(pb, &tm);
		frac(pb, us % 1000000);
		return;
	}
}
