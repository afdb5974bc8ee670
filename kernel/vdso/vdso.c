//! The vDSO: clock_gettime, gettimeofday, time, clock_getres and getcpu without
//! entering the kernel. The clocks are read from the data page the kernel maps
//! read-only one page below this image ("vvar", kernel/src/time/vvar.rs): base
//! times at the TSC value of the last timer tick, and the TSC's mult/shift; a
//! sequence counter, odd while the kernel writes, makes the reads consistent.
//! Clocks the page does not hold go to the system call.
//!
//! Built by kernel/build.rs (gcc, position-independent, no libc) with vdso.lds,
//! which places `vvar` and exports the functions with the symbol version
//! LINUX_2.6, as Linux's vDSO does (glibc and musl look them up by that version).

typedef unsigned long u64;
typedef unsigned int u32;
typedef int s32;
typedef unsigned __int128 u128;

struct timespec {
	long tv_sec;
	long tv_nsec;
};

struct timeval {
	long tv_sec;
	long tv_usec;
};

struct timezone {
	int tz_minuteswest;
	int tz_dsttime;
};

/* A base time: whole seconds, and nanoseconds below one second (shifted left by
 * `shift` for the precise clocks, plain for the coarse ones). */
struct base_time {
	u64 sec;
	u64 nsec;
};

#define CLOCKS 12

/* The data page; the layout of `Vvar` in kernel/src/time/vvar.rs. */
struct vvar {
	u32 seq;
	u32 clock_mode;
	u64 cycle_last;
	u64 max_fast_delta;
	u32 mult;
	u32 shift;
	struct base_time base[CLOCKS];
	s32 tz_minuteswest;
	s32 tz_dsttime;
};

_Static_assert(__builtin_offsetof(struct vvar, cycle_last) == 8, "vvar layout");
_Static_assert(__builtin_offsetof(struct vvar, mult) == 24, "vvar layout");
_Static_assert(__builtin_offsetof(struct vvar, base) == 32, "vvar layout");
_Static_assert(__builtin_offsetof(struct vvar, tz_minuteswest) == 224, "vvar layout");

/* Placed by vdso.lds one page below the image. */
extern const volatile struct vvar vvar __attribute__((visibility("hidden")));

#define NSEC_PER_SEC 1000000000UL
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define CLOCK_TAI 11
/* Clocks read from the TSC, and the coarse ones (the time of the last tick). */
#define PRECISE_CLOCKS                                                                         \
	((1U << CLOCK_REALTIME) | (1U << CLOCK_MONOTONIC) | (1U << CLOCK_MONOTONIC_RAW) |      \
	 (1U << CLOCK_BOOTTIME) | (1U << CLOCK_TAI))
#define COARSE_CLOCKS ((1U << CLOCK_REALTIME_COARSE) | (1U << CLOCK_MONOTONIC_COARSE))
/* The coarse clocks' resolution: one timer tick (1000 Hz). */
#define TICK_NSEC 1000000L

#define NR_GETTIMEOFDAY 96
#define NR_CLOCK_GETTIME 228
#define NR_CLOCK_GETRES 229

#define barrier() __asm__ __volatile__("" ::: "memory")

static long syscall2(long nr, long a, long b)
{
	long ret;
	__asm__ __volatile__("syscall"
			     : "=a"(ret)
			     : "0"(nr), "D"(a), "S"(b)
			     : "rcx", "r11", "memory");
	return ret;
}

/* rdtsc, not executed before the loads ahead of it (Linux's rdtsc_ordered). */
static inline u64 rdtsc_ordered(void)
{
	u32 lo, hi;
	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return ((u64)hi << 32) | lo;
}

static inline u32 read_begin(void)
{
	u32 seq;
	while ((seq = vvar.seq) & 1)
		__asm__ __volatile__("pause");
	barrier();
	return seq;
}

static inline int read_retry(u32 seq)
{
	barrier();
	return vvar.seq != seq;
}

/* The precise clock `clock` now, in nanoseconds (as `read_shifted` in the
 * timekeeping crate); 0 when the TSC clock is not running. */
static int read_precise(int clock, u64 *sec, u64 *nsec)
{
	u64 s, ns;
	u32 seq;
	do {
		seq = read_begin();
		if (!vvar.clock_mode)
			return 0;
		u64 now = rdtsc_ordered();
		u64 last = vvar.cycle_last;
		u64 delta = now > last ? now - last : 0;
		s = vvar.base[clock].sec;
		ns = vvar.base[clock].nsec;
		if (delta <= vvar.max_fast_delta)
			ns = (ns + delta * vvar.mult) >> vvar.shift;
		else
			ns = (u64)(((u128)ns + (u128)delta * vvar.mult) >> vvar.shift);
	} while (read_retry(seq));
	*sec = s + ns / NSEC_PER_SEC;
	*nsec = ns % NSEC_PER_SEC;
	return 1;
}

static void read_coarse(int clock, u64 *sec, u64 *nsec)
{
	u32 seq;
	do {
		seq = read_begin();
		*sec = vvar.base[clock].sec;
		*nsec = vvar.base[clock].nsec;
	} while (read_retry(seq));
}

static unsigned clock_bit(int clock)
{
	return (unsigned)clock < CLOCKS ? 1U << clock : 0;
}

int __vdso_clock_gettime(int clock, struct timespec *ts)
{
	u64 sec, nsec;
	unsigned bit = clock_bit(clock);
	if (bit & PRECISE_CLOCKS) {
		if (!read_precise(clock, &sec, &nsec))
			return syscall2(NR_CLOCK_GETTIME, clock, (long)ts);
	} else if (bit & COARSE_CLOCKS) {
		read_coarse(clock, &sec, &nsec);
	} else {
		return syscall2(NR_CLOCK_GETTIME, clock, (long)ts);
	}
	ts->tv_sec = sec;
	ts->tv_nsec = nsec;
	return 0;
}

int __vdso_gettimeofday(struct timeval *tv, struct timezone *tz)
{
	if (tv) {
		u64 sec, nsec;
		if (!read_precise(CLOCK_REALTIME, &sec, &nsec))
			return syscall2(NR_GETTIMEOFDAY, (long)tv, (long)tz);
		tv->tv_sec = sec;
		tv->tv_usec = nsec / 1000;
	}
	if (tz) {
		tz->tz_minuteswest = vvar.tz_minuteswest;
		tz->tz_dsttime = vvar.tz_dsttime;
	}
	return 0;
}

/* The seconds of CLOCK_REALTIME at the last tick, as Linux's time(). */
long __vdso_time(long *t)
{
	long sec = vvar.base[CLOCK_REALTIME].sec;
	if (t)
		*t = sec;
	return sec;
}

int __vdso_clock_getres(int clock, struct timespec *res)
{
	long ns;
	unsigned bit = clock_bit(clock);
	if (bit & PRECISE_CLOCKS)
		ns = 1;
	else if (bit & COARSE_CLOCKS)
		ns = TICK_NSEC;
	else
		return syscall2(NR_CLOCK_GETRES, clock, (long)res);
	if (res) {
		res->tv_sec = 0;
		res->tv_nsec = ns;
	}
	return 0;
}

/* Kestrel runs on one CPU, in one NUMA node. */
long __vdso_getcpu(unsigned *cpu, unsigned *node, void *unused)
{
	(void)unused;
	if (cpu)
		*cpu = 0;
	if (node)
		*node = 0;
	return 0;
}

int clock_gettime(int, struct timespec *) __attribute__((weak, alias("__vdso_clock_gettime")));
int gettimeofday(struct timeval *, struct timezone *) __attribute__((weak, alias("__vdso_gettimeofday")));
long time(long *) __attribute__((weak, alias("__vdso_time")));
int clock_getres(int, struct timespec *) __attribute__((weak, alias("__vdso_clock_getres")));
long getcpu(unsigned *, unsigned *, void *) __attribute__((weak, alias("__vdso_getcpu")));
