/* ktest-events: event loops as Linux has them. select and pselect6 on pipes
 * (timeouts written back, EBADF, a signal mask for the wait), epoll on pipes,
 * eventfd, timerfd and signalfd (epoll_ctl's errors, level- and edge-triggered
 * reports, EPOLLONESHOT, EPOLLHUP, the data returned, entries leaving with
 * their file, nesting, a wait woken from another thread), timerfd (periodic
 * expirations counted, gettime, absolute times, blocking reads) and signalfd
 * (records with the sender, masks changed by signalfd4, blocking reads, poll).
 * Runs the same on Linux. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...)                                  \
    do {                                                  \
        if (!(cond)) {                                    \
            printf("events: FAILED: " __VA_ARGS__);       \
            printf(" (%s:%d)\n", __FILE__, __LINE__);     \
            failures++;                                   \
        }                                                 \
    } while (0)

static long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static volatile sig_atomic_t handled;

static void on_signal(int sig) {
    handled = sig;
}

static void set_blocked(int sig, int block) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

static int is_blocked(int sig) {
    sigset_t set;
    sigprocmask(SIG_BLOCK, NULL, &set);
    return sigismember(&set, sig);
}

/* Sends `sig` to the process after `delay_ms`, from a thread that blocks it. */
struct delayed {
    int sig, delay_ms, fd;
};

static void *send_later(void *arg) {
    struct delayed *d = arg;
    usleep(d->delay_ms * 1000);
    if (d->sig)
        kill(getpid(), d->sig);
    else
        (void)!write(d->fd, "x", 1);
    return NULL;
}

static void test_select(void) {
    int p[2];
    CHECK(pipe(p) == 0, "pipe");
    fd_set r;
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    /* The raw call writes the time left back (musl's select passes a copy). */
    struct timeval tv = {0, 50000};
    long start = now_ms();
    CHECK(syscall(SYS_select, p[0] + 1, &r, NULL, NULL, &tv) == 0, "select on an empty pipe times out");
    CHECK(now_ms() - start >= 40, "select waited %ld ms of 50", now_ms() - start);
    CHECK(tv.tv_sec == 0 && tv.tv_usec == 0, "timeval after a timeout: %ld.%06ld", (long)tv.tv_sec, (long)tv.tv_usec);
    CHECK(!FD_ISSET(p[0], &r), "the set is cleared after a timeout");

    CHECK(write(p[1], "ab", 2) == 2, "write");
    fd_set w;
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(p[0], &r);
    FD_SET(p[1], &r);
    FD_SET(p[1], &w);
    tv = (struct timeval){5, 0};
    CHECK(syscall(SYS_select, p[1] + 1, &r, &w, NULL, &tv) == 2, "readable read end, writable write end");
    CHECK(FD_ISSET(p[0], &r) && !FD_ISSET(p[1], &r) && FD_ISSET(p[1], &w), "ready sets");
    CHECK(tv.tv_sec >= 4 && tv.tv_sec <= 5, "timeval keeps the time left: %ld", (long)tv.tv_sec);

    int closed = dup(p[0]);
    close(closed);
    FD_ZERO(&r);
    FD_SET(closed, &r);
    CHECK(select(closed + 1, &r, NULL, NULL, NULL) == -1 && errno == EBADF, "closed fd in a set is EBADF");
    CHECK(select(-1, NULL, NULL, NULL, NULL) == -1 && errno == EINVAL, "negative nfds is EINVAL");
    tv = (struct timeval){-1, 0};
    CHECK(select(0, NULL, NULL, NULL, &tv) == -1 && errno == EINVAL, "negative timeval is EINVAL");
    tv = (struct timeval){0, 20000};
    start = now_ms();
    CHECK(select(0, NULL, NULL, NULL, &tv) == 0 && now_ms() - start >= 15, "select as a sleep");

    /* The raw pselect6 writes its timespec back too (C libraries pass a copy). */
    char drain[2];
    CHECK(read(p[0], drain, 2) == 2, "drain");
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    struct timespec ts = {0, 30000000};
    CHECK(syscall(SYS_pselect6, p[0] + 1, &r, NULL, NULL, &ts, NULL) == 0, "raw pselect6 times out");
    CHECK(ts.tv_sec == 0 && ts.tv_nsec == 0, "raw pselect6's timespec: %ld.%09ld", (long)ts.tv_sec, ts.tv_nsec);

    /* pselect with a mask that lets a pending SIGUSR1 through: EINTR, the
     * handler ran, and SIGUSR1 is blocked again afterwards. */
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGUSR1, &sa, NULL);
    set_blocked(SIGUSR1, 1);
    raise(SIGUSR1);
    sigset_t empty;
    sigemptyset(&empty);
    handled = 0;
    ts = (struct timespec){5, 0};
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    CHECK(pselect(p[0] + 1, &r, NULL, NULL, &ts, &empty) == -1 && errno == EINTR, "pselect with a pending signal let through");
    CHECK(handled == SIGUSR1, "the handler ran during pselect");
    CHECK(is_blocked(SIGUSR1), "the old mask is back after pselect");

    /* The same with the signal arriving during the wait. */
    handled = 0;
    struct delayed d = {SIGUSR1, 50, -1};
    pthread_t t;
    pthread_create(&t, NULL, send_later, &d);
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    CHECK(pselect(p[0] + 1, &r, NULL, NULL, NULL, &empty) == -1 && errno == EINTR, "pselect interrupted by a signal");
    CHECK(handled == SIGUSR1, "the handler ran for the signal during pselect");
    CHECK(is_blocked(SIGUSR1), "SIGUSR1 blocked again");
    pthread_join(t, NULL);

    /* ppoll has the same mask argument. */
    raise(SIGUSR1);
    handled = 0;
    struct pollfd pfd = {.fd = p[0], .events = POLLIN};
    CHECK(ppoll(&pfd, 1, NULL, &empty) == -1 && errno == EINTR && handled == SIGUSR1, "ppoll with a mask");
    CHECK(is_blocked(SIGUSR1), "the old mask is back after ppoll");
    set_blocked(SIGUSR1, 0);
    close(p[0]);
    close(p[1]);
}

static int wait1(int ep, struct epoll_event *ev, int timeout) {
    return epoll_wait(ep, ev, 1, timeout);
}

static void test_epoll_ctl(void) {
    CHECK(syscall(SYS_epoll_create, 0) == -1 && errno == EINVAL, "epoll_create(0) is EINVAL");
    int old_style = epoll_create(1);
    CHECK(old_style >= 0 && fcntl(old_style, F_GETFD) == 0, "epoll_create(1)");
    close(old_style);
    CHECK(epoll_create1(0x1234) == -1 && errno == EINVAL, "unknown epoll_create1 flags are EINVAL");
    int ep = epoll_create1(EPOLL_CLOEXEC);
    CHECK(ep >= 0 && fcntl(ep, F_GETFD) == FD_CLOEXEC, "EPOLL_CLOEXEC");
    int p[2];
    CHECK(pipe(p) == 0, "pipe");
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 7};
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev) == -1 && errno == EINVAL, "adding an epoll fd to itself is EINVAL");
    CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == -1 && errno == ENOENT, "MOD of a file not in the set");
    CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL) == -1 && errno == ENOENT, "DEL of a file not in the set");
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0, "ADD");
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == -1 && errno == EEXIST, "ADD twice is EEXIST");
    CHECK(epoll_ctl(ep, 99, p[0], &ev) == -1 && errno == EINVAL, "unknown operation");
    CHECK(epoll_ctl(p[0], EPOLL_CTL_ADD, p[1], &ev) == -1 && errno == EINVAL, "epfd not an epoll fd");
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, 999, &ev) == -1 && errno == EBADF, "a closed fd is EBADF");
    ev.events = EPOLLIN | EPOLLEXCLUSIVE;
    CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == -1 && errno == EINVAL, "MOD with EPOLLEXCLUSIVE");
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &ev) == 0, "ADD with EPOLLEXCLUSIVE");
    CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL) == 0, "DEL");

    char path[] = "/tmp/ktest-events-XXXXXX";
    int regular = mkstemp(path);
    CHECK(regular >= 0, "mkstemp: %s", strerror(errno));
    ev.events = EPOLLIN;
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, regular, &ev) == -1 && errno == EPERM, "a regular file is EPERM");
    struct pollfd pfd = {.fd = regular, .events = POLLIN | POLLOUT};
    CHECK(poll(&pfd, 1, 0) == 1 && pfd.revents == (POLLIN | POLLOUT), "poll: a regular file is always ready");
    close(regular);
    unlink(path);

    struct epoll_event out[4];
    CHECK(epoll_wait(ep, out, 0, 0) == -1 && errno == EINVAL, "maxevents 0 is EINVAL");
    long start = now_ms();
    CHECK(epoll_wait(ep, out, 4, 50) == 0, "nothing ready: timeout");
    CHECK(now_ms() - start >= 40, "epoll_wait waited %ld ms of 50", now_ms() - start);
    struct timespec ts = {0, 30000000};
    start = now_ms();
    CHECK(syscall(SYS_epoll_pwait2, ep, out, 4, &ts, NULL, 8) == 0, "epoll_pwait2 times out");
    CHECK(now_ms() - start >= 25 && ts.tv_nsec == 30000000, "epoll_pwait2 waited %ld ms of 30, timespec kept",
          now_ms() - start);
    ts.tv_nsec = -1;
    CHECK(syscall(SYS_epoll_pwait2, ep, out, 4, &ts, NULL, 8) == -1 && errno == EINVAL, "a bad timespec is EINVAL");
    close(p[0]);
    close(p[1]);
    close(ep);
}

static void test_epoll_modes(void) {
    int ep = epoll_create1(0);
    int p[2];
    CHECK(pipe(p) == 0, "pipe");
    static int marker;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &marker}, out[4];
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0, "ADD pipe");
    CHECK(wait1(ep, out, 0) == 0, "empty pipe: nothing");
    CHECK(write(p[1], "ab", 2) == 2, "write");
    CHECK(wait1(ep, out, 1000) == 1 && out[0].events == EPOLLIN && out[0].data.ptr == &marker, "level: IN with the data pointer");
    CHECK(wait1(ep, out, 0) == 1, "level: still reported");
    char buf[4];
    CHECK(read(p[0], buf, 2) == 2 && wait1(ep, out, 0) == 0, "level: drained, nothing");

    /* Blocking wait woken by a write from another thread. */
    struct delayed d = {0, 50, p[1]};
    pthread_t t;
    pthread_create(&t, NULL, send_later, &d);
    CHECK(wait1(ep, out, -1) == 1 && out[0].events == EPOLLIN, "a blocked epoll_wait woken by a write");
    pthread_join(t, NULL);
    CHECK(read(p[0], buf, 1) == 1, "drain");

    /* EPOLLONESHOT: one report until EPOLL_CTL_MOD. */
    ev.events = EPOLLIN | EPOLLONESHOT;
    CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == 0, "MOD to oneshot");
    CHECK(write(p[1], "a", 1) == 1, "write");
    CHECK(wait1(ep, out, 0) == 1, "oneshot: reported once");
    CHECK(wait1(ep, out, 0) == 0, "oneshot: then quiet though readable");
    CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == 0 && wait1(ep, out, 0) == 1, "oneshot: re-armed by MOD");

    /* EPOLLHUP once the writer has gone (reported without asking). */
    ev.events = EPOLLIN;
    CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == 0 && read(p[0], buf, 1) == 1, "MOD back, drain");
    close(p[1]);
    CHECK(wait1(ep, out, 1000) == 1 && out[0].events == EPOLLHUP, "HUP when the writer closes: %#x", out[0].events);

    /* An entry leaves with its file: a dup keeps it, the last close drops it. */
    int copy = dup(p[0]);
    close(p[0]);
    CHECK(wait1(ep, out, 0) == 1, "still in the set while a dup is open");
    close(copy);
    CHECK(wait1(ep, out, 0) == 0, "gone from the set once the file is closed");

    /* Edge-triggered on an eventfd: a report per write, none without one. */
    int efd = eventfd(0, EFD_NONBLOCK);
    ev = (struct epoll_event){.events = EPOLLIN | EPOLLET, .data.fd = efd};
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev) == 0, "ADD eventfd ET");
    CHECK(wait1(ep, out, 0) == 0, "ET: nothing yet");
    uint64_t one = 1, value;
    CHECK(write(efd, &one, 8) == 8, "eventfd write");
    CHECK(wait1(ep, out, 0) == 1 && out[0].data.fd == efd, "ET: reported after the write");
    CHECK(wait1(ep, out, 0) == 0, "ET: not again without a new event");
    CHECK(write(efd, &one, 8) == 8 && wait1(ep, out, 0) == 1, "ET: a new write reports again");
    CHECK(read(efd, &value, 8) == 8 && value == 2, "eventfd read");
    CHECK(wait1(ep, out, 0) == 0, "ET: nothing once drained");

    /* Level-triggered entries take turns when maxevents is small. */
    int efd2 = eventfd(1, 0);
    ev = (struct epoll_event){.events = EPOLLOUT, .data.fd = efd2};
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, efd2, &ev) == 0, "ADD eventfd 2");
    int p2[2];
    CHECK(pipe(p2) == 0, "pipe 2");
    ev = (struct epoll_event){.events = EPOLLOUT, .data.fd = p2[1]};
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p2[1], &ev) == 0, "ADD pipe 2");
    int first = wait1(ep, out, 0) == 1 ? out[0].data.fd : -1;
    int second = wait1(ep, out, 0) == 1 ? out[0].data.fd : -1;
    CHECK(first != second && first >= 0 && second >= 0, "round robin: %d then %d", first, second);
    CHECK(epoll_wait(ep, out, 4, 0) == 2, "both writable");

    /* epoll_pwait with a mask that lets a pending signal through. */
    set_blocked(SIGUSR1, 1);
    raise(SIGUSR1);
    handled = 0;
    sigset_t empty;
    sigemptyset(&empty);
    CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, efd2, NULL) == 0 && epoll_ctl(ep, EPOLL_CTL_DEL, p2[1], NULL) == 0, "DEL");
    CHECK(epoll_pwait(ep, out, 4, 5000, &empty) == -1 && errno == EINTR && handled == SIGUSR1, "epoll_pwait with a mask");
    CHECK(is_blocked(SIGUSR1), "the mask is back after epoll_pwait");
    set_blocked(SIGUSR1, 0);
    close(efd);
    close(efd2);
    close(p2[0]);
    close(p2[1]);
    close(ep);
}

static void test_nested_epoll(void) {
    int inner = epoll_create1(0), outer = epoll_create1(0);
    int p[2];
    CHECK(pipe(p) == 0, "pipe");
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 1}, out[2];
    CHECK(epoll_ctl(inner, EPOLL_CTL_ADD, p[0], &ev) == 0, "inner watches the pipe");
    ev.data.u64 = 2;
    CHECK(epoll_ctl(outer, EPOLL_CTL_ADD, inner, &ev) == 0, "outer watches inner");
    CHECK(epoll_ctl(inner, EPOLL_CTL_ADD, outer, &ev) == -1 && errno == ELOOP, "a cycle is ELOOP");
    struct pollfd pfd = {.fd = inner, .events = POLLIN};
    CHECK(poll(&pfd, 1, 0) == 0, "inner not readable yet");
    struct delayed d = {0, 50, p[1]};
    pthread_t t;
    pthread_create(&t, NULL, send_later, &d);
    CHECK(wait1(outer, out, 5000) == 1 && out[0].data.u64 == 2 && out[0].events == EPOLLIN, "outer woken through inner");
    pthread_join(t, NULL);
    CHECK(poll(&pfd, 1, 0) == 1 && pfd.revents == POLLIN, "an epoll fd polls readable when something is ready");
    CHECK(wait1(inner, out, 0) == 1 && out[0].data.u64 == 1, "inner reports the pipe");
    close(p[0]);
    close(p[1]);
    close(inner);
    close(outer);
}

static void test_timerfd(void) {
    CHECK(timerfd_create(12345, 0) == -1 && errno == EINVAL, "unknown clock");
    CHECK(timerfd_create(CLOCK_MONOTONIC, 0x4321) == -1 && errno == EINVAL, "unknown flags");
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    CHECK(tfd >= 0 && fcntl(tfd, F_GETFD) == FD_CLOEXEC, "timerfd_create");
    uint64_t count = 0;
    CHECK(read(tfd, &count, 8) == -1 && errno == EAGAIN, "disarmed: EAGAIN");
    uint32_t small;
    CHECK(read(tfd, &small, 4) == -1 && errno == EINVAL, "a 4-byte read is EINVAL");
    struct itimerspec its = {.it_interval = {0, 10000000}, .it_value = {0, 10000000}}, cur;
    /* Bounds that a stall of the whole machine cannot break: at least the
     * periods between the settime and the read, at most those around both. */
    long start = now_ms();
    CHECK(timerfd_settime(tfd, 0, &its, NULL) == 0, "settime 10 ms periodic");
    long set = now_ms();
    CHECK(timerfd_gettime(tfd, &cur) == 0 && cur.it_interval.tv_nsec == 10000000 && cur.it_value.tv_sec == 0 &&
              cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 10000000,
          "gettime: %ld.%09ld every %ld", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec, cur.it_interval.tv_nsec);
    usleep(55000);
    long before_read = now_ms();
    CHECK(read(tfd, &count, 8) == 8, "read the expirations");
    long elapsed = now_ms() - start;
    CHECK((long)count <= elapsed / 10 + 1 && (long)count + 1 >= (before_read - set) / 10 && count >= 3,
          "%llu expirations in %ld ms", (unsigned long long)count, elapsed);
    struct pollfd pfd = {.fd = tfd, .events = POLLIN};
    CHECK(poll(&pfd, 1, 1000) == 1 && pfd.revents == POLLIN, "poll: readable at the next expiry");

    its = (struct itimerspec){0};
    CHECK(timerfd_settime(tfd, 0, &its, &cur) == 0 && cur.it_interval.tv_nsec == 10000000, "disarm: the old setting");
    CHECK(timerfd_gettime(tfd, &cur) == 0 && cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0, "disarmed: 0");
    CHECK(read(tfd, &count, 8) == -1 && errno == EAGAIN, "settime dropped the expirations");
    its.it_value.tv_nsec = 1000000000;
    CHECK(timerfd_settime(tfd, 0, &its, NULL) == -1 && errno == EINVAL, "nanoseconds out of range");
    CHECK(timerfd_settime(tfd, 0x100, &its, NULL) == -1 && errno == EINVAL, "unknown settime flags");
    int p[2];
    CHECK(pipe(p) == 0, "pipe");
    its.it_value.tv_nsec = 1000;
    CHECK(timerfd_settime(p[0], 0, &its, NULL) == -1 && errno == EINVAL, "settime on a pipe");
    close(p[0]);
    close(p[1]);
    close(tfd);

    /* A blocking read waits for a one-shot expiry; an absolute real time. */
    tfd = timerfd_create(CLOCK_REALTIME, 0);
    start = now_ms();
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    its = (struct itimerspec){.it_value = {now.tv_sec, now.tv_nsec + 30000000}};
    if (its.it_value.tv_nsec >= 1000000000) {
        its.it_value.tv_sec++;
        its.it_value.tv_nsec -= 1000000000;
    }
    CHECK(timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL) == 0, "absolute settime");
    CHECK(read(tfd, &count, 8) == 8 && count == 1, "blocking read: one expiry");
    CHECK(now_ms() - start >= 25, "the read waited %ld ms of 30", now_ms() - start);
    close(tfd);

    /* In epoll, on CLOCK_BOOTTIME. */
    tfd = timerfd_create(CLOCK_BOOTTIME, TFD_NONBLOCK);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 5}, out;
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev) == 0, "ADD timerfd");
    its = (struct itimerspec){.it_value = {0, 100000000}};
    CHECK(timerfd_settime(tfd, 0, &its, NULL) == 0, "settime 100 ms");
    CHECK(wait1(ep, &out, 0) == 0, "not expired yet");
    CHECK(wait1(ep, &out, 5000) == 1 && out.data.u64 == 5 && out.events == EPOLLIN, "epoll: timer expired");
    CHECK(read(tfd, &count, 8) == 8 && count == 1 && wait1(ep, &out, 0) == 0, "read: not ready again");
    close(ep);
    close(tfd);
    int alarm_fd = timerfd_create(CLOCK_BOOTTIME_ALARM, 0);
    CHECK(alarm_fd >= 0 || errno == EPERM, "CLOCK_BOOTTIME_ALARM: %s", strerror(errno));
    close(alarm_fd);
}

static void test_signalfd(void) {
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    set_blocked(SIGUSR2, 1);
    CHECK(signalfd(-1, &mask, 0x1234) == -1 && errno == EINVAL, "unknown flags");
    CHECK(syscall(SYS_signalfd4, -1, &mask, 4, 0) == -1 && errno == EINVAL, "a 4-byte mask is EINVAL");
    int sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    CHECK(sfd >= 0 && fcntl(sfd, F_GETFD) == FD_CLOEXEC, "signalfd");
    struct signalfd_siginfo si[2];
    CHECK(read(sfd, si, sizeof si) == -1 && errno == EAGAIN, "nothing pending: EAGAIN");
    CHECK(read(sfd, si, 64) == -1 && errno == EINVAL, "a buffer under 128 bytes is EINVAL");
    struct pollfd pfd = {.fd = sfd, .events = POLLIN};
    CHECK(poll(&pfd, 1, 0) == 0, "poll: nothing pending");
    kill(getpid(), SIGUSR1);
    CHECK(poll(&pfd, 1, 0) == 1 && pfd.revents == POLLIN, "poll: a signal in the mask pending");
    CHECK(read(sfd, si, sizeof si) == sizeof si[0], "read one record");
    CHECK(si[0].ssi_signo == SIGUSR1 && si[0].ssi_pid == (uint32_t)getpid() && si[0].ssi_code == SI_USER,
          "record: signal %u from %u code %d", si[0].ssi_signo, si[0].ssi_pid, si[0].ssi_code);
    sigset_t pending;
    sigpending(&pending);
    CHECK(!sigismember(&pending, SIGUSR1), "the signal was taken");

    /* Thread-directed and process-directed, two records in one read. */
    kill(getpid(), SIGUSR1);
    sigaddset(&mask, SIGUSR2);
    CHECK(signalfd(sfd, &mask, 0) == sfd, "signalfd on a signalfd changes its mask");
    pthread_kill(pthread_self(), SIGUSR2);
    CHECK(read(sfd, si, sizeof si) == 2 * sizeof si[0], "two records");
    CHECK(si[0].ssi_signo == SIGUSR2 && si[1].ssi_signo == SIGUSR1, "the thread's own first: %u %u", si[0].ssi_signo,
          si[1].ssi_signo);

    int p[2];
    CHECK(pipe(p) == 0, "pipe");
    CHECK(signalfd(p[0], &mask, 0) == -1 && errno == EINVAL, "signalfd on a pipe");
    close(p[0]);
    close(p[1]);

    /* In epoll, and a blocking read woken by a signal sent from a thread. */
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 9}, out;
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev) == 0, "ADD signalfd");
    CHECK(wait1(ep, &out, 0) == 0, "epoll: nothing pending");
    struct delayed d = {SIGUSR2, 50, -1};
    pthread_t t;
    pthread_create(&t, NULL, send_later, &d);
    CHECK(wait1(ep, &out, 5000) == 1 && out.data.u64 == 9, "epoll woken by a blocked signal");
    pthread_join(t, NULL);
    int blocking = signalfd(-1, &mask, 0);
    CHECK(read(blocking, si, sizeof si[0]) == sizeof si[0] && si[0].ssi_signo == SIGUSR2, "read it from another signalfd");
    d.sig = SIGUSR1;
    pthread_create(&t, NULL, send_later, &d);
    CHECK(read(blocking, si, sizeof si[0]) == sizeof si[0] && si[0].ssi_signo == SIGUSR1, "a blocking read woken");
    pthread_join(t, NULL);

    /* A blocked signal that is ignored by default still waits (SIGCHLD). */
    set_blocked(SIGCHLD, 1);
    sigaddset(&mask, SIGCHLD);
    CHECK(signalfd(blocking, &mask, 0) == blocking, "add SIGCHLD");
    pid_t child = fork();
    if (child == 0)
        _exit(3);
    CHECK(read(blocking, si, sizeof si[0]) == sizeof si[0] && si[0].ssi_signo == SIGCHLD &&
              si[0].ssi_pid == (uint32_t)child && si[0].ssi_status == 3,
          "SIGCHLD record: %u from %u status %d", si[0].ssi_signo, si[0].ssi_pid, si[0].ssi_status);
    waitpid(child, NULL, 0);
    close(blocking);
    close(ep);
    close(sfd);
    set_blocked(SIGUSR1, 0);
    set_blocked(SIGUSR2, 0);
    set_blocked(SIGCHLD, 0);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    test_select();
    test_epoll_ctl();
    test_epoll_modes();
    test_nested_epoll();
    test_timerfd();
    test_signalfd();
    if (failures) {
        printf("KTEST FAIL events: %d failures\n", failures);
        return 1;
    }
    printf("KTEST PASS events\n");
    return 0;
}
