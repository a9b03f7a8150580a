// SPDX-License-Identifier: BSD-3-Clause
/* Timestamps as tcpdump 4.99 prints them, in microseconds (nanoseconds, 9 digits, with --nano):
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

/* The printed unit: microseconds, or nanoseconds with --nano. */
struct ts_unit {
	uint64_t ns;		/* nanoseconds per unit */
	uint64_t per_sec;	/* units per second */
	int digits;
};

static void frac(struct pbuf *pb, uint64_t units, const struct ts_unit *u)
{
	pb_ch(pb, '.');
	pb_u_pad(pb, units, u->digits);
	pb_ch(pb, ' ');
}

/* The later minus the earlier, field by field with one borrow, as tcpdump subtracts: for valid
 * timestamps the exact difference; for a sub-second field of a second or more, tcpdump's
 * digits (the difference's field printed as an unsigned 32-bit number). */
static void delta(struct pbuf *pb, struct print_ts_raw now, struct print_ts_raw ref,
		  const struct ts_unit *u)
{
	bool neg = now.sec == ref.sec ? now.sub < ref.sub : now.sec < ref.sec;
	struct print_ts_raw a = neg ? ref : now, b = neg ? now : ref;
	int64_t dsec = a.sec - b.sec, dsub = a.sub - b.sub;
	struct tm tm;
	time_t sec;

	if (dsub < 0) {
		dsub += (int64_t)u->per_sec;
		dsec--;
	}
	pb_ch(pb, neg ? '-' : ' ');
	sec = (time_t)dsec;
	gmtime_r(&sec, &tm);
	hms(pb, &tm);
	frac(pb, (uint32_t)dsub, u);
}

void print_timestamp(struct pbuf *pb, int tflag, bool nano, uint64_t ts_ns, uint64_t over_ns,
		     struct print_ts_state *st)
{
	static const struct ts_unit micro = { 1000, 1000000, 6 }, nanos = { 1, 1000000000, 9 };
	const struct ts_unit *u = nano ? &nanos : &micro;
	uint64_t t = ts_ns / u->ns;	/* in the printed unit */
	time_t sec = (time_t)(t / u->per_sec);
	uint64_t sub = t % u->per_sec;
	struct tm tm;

	/* a record's sub-second field of a second or more: the dates print its seconds and that
	 * field as they stand ("00:16:40.1500000"), as tcpdump does; deltas use the sum */
	if (over_ns && ts_ns >= over_ns) {
		sec = (time_t)((ts_ns - over_ns) / 1000000000u);
		sub = over_ns / u->ns;
	}
	struct print_ts_raw raw = { (int64_t)sec, (int32_t)(uint32_t)sub };

	switch (tflag) {
	case 1:
		return;
	case 2:
		pb_u64(pb, (uint64_t)sec);
		frac(pb, sub, u);
		return;
	case 3:
	case 5:
		if (!st->have_prev) {
			st->prev = st->first = raw;
			st->have_prev = true;
		}
		delta(pb, raw, tflag == 3 ? st->prev : st->first, u);
		st->prev = raw;
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
		frac(pb, sub, u);
		return;
	default:
		localtime_r(&sec, &tm);
		hms(pb, &tm);
		frac(pb, sub, u);
		return;
	}
}
