/*
 * Timestamps: FAT keeps local date and time in 16 bits each (2-second
 * resolution, years 1980..2107); we store UTC. The clock is a hook so the
 * host tests and the kernel each give theirs.
 */
#include "fat_internal.h"

static int64_t no_clock(void)
{
	return 0;
}

static int64_t (*clock_now)(void) = no_clock;

void fat_set_clock(int64_t (*now)(void))
{
	clock_now = now ? now : no_clock;
}

int64_t fat_now(void)
{
	return clock_now();
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

#define FAT_EPOCH 315532800  /* 1980-01-01 */
#define FAT_LAST  4354819198 /* 2107-12-31 23:59:58 */

void fat_time_encode(int64_t t, uint16_t *date, uint16_t *time)
{
	int64_t y;
	unsigned m, d;

	if (t < FAT_EPOCH)
		t = FAT_EPOCH;
	if (t > FAT_LAST)
		t = FAT_LAST;
	civil_from_days(t / 86400, &y, &m, &d);
	unsigned s = (unsigned)(t % 86400);
	*date = (uint16_t)((y - 1980) << 9 | m << 5 | d);
	*time = (uint16_t)((s / 3600) << 11 | (s / 60 % 60) << 5 |
			   (s % 60) / 2);
}

int64_t fat_time_decode(uint16_t date, uint16_t time)
{
	unsigned m = (date >> 5) & 15, d = date & 31;

	if (m < 1 || m > 12 || d < 1)
		return FAT_EPOCH; /* a zero or damaged date */
	int64_t days = days_from_civil(1980 + (date >> 9), m, d);
	unsigned hh = time >> 11, mm = (time >> 5) & 63, ss = (time & 31) * 2;
	return days * 86400 + hh * 3600 + mm * 60 + ss;
}
