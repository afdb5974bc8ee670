/* tests/guest-c/pthreads.c: ktest-cpthreads, POSIX threads as musl's libc uses
 * them (built static with musl-gcc -pthread by scripts/build-ctests.sh), each
 * check as on Linux:
 * - pthread_create and pthread_join hand back the thread's value; a detached
 *   thread signals its end through a semaphore;
 * - 8 threads add 1 to a counter 100000 times each under a mutex: exactly 800000;
 * - pthread_cond_timedwait on CLOCK_REALTIME with nobody signalling returns
 *   ETIMEDOUT no earlier than its deadline; one that another thread signals
 *   returns 0 with the condition true;
 * - pthread_kill(SIGUSR1) to one thread runs the handler in that thread (its
 *   pthread_self and gettid, recorded by the handler, are the target's);
 * - exit(3) in a second thread (exit_group) ends the whole process, a forked
 *   child, with status 3;
 * - execve of /proc/self/exe in a second thread of a forked child: the new image
 *   (this program with the argument "noop") has one thread whose tid is the pid,
 *   and its _exit(7) reaches the parent;
 * - fork in a second thread: the child has one thread (/proc/self/task has one
 *   entry) whose tid is its pid, and exits 0;
 * - a robust mutex whose owner thread ends while holding it: the next
 *   pthread_mutex_lock gives EOWNERDEAD, pthread_mutex_consistent and unlock
 *   succeed, and the mutex then locks normally.
 * It prints a line per check, then `KTEST PASS cpthreads` (exit 0) or
 * `KTEST FAIL cpthreads: REASON` (exit 1).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NAME "cpthreads"
/* The argument that makes the program the execve check's new image, and its status. */
#define NOOP_ARG "noop"
#define NOOP_STATUS 7
#define EXIT_GROUP_STATUS 3
/* Statuses of forked children that report what went wrong. */
#define CHILD_THREAD_ONLY 98
#define CHILD_SETUP_FAILED 99
#define NOOP_THREADS_LEFT 8
#define NOOP_TID_NOT_PID 9
#define COUNTER_THREADS 8
#define COUNTER_ROUNDS 100000
/* The condition-variable timeout, and the longest any check waits. */
#define TIMEOUT_NS 300000000L
#define LIMIT_S 30

static char reason[512];

/* Records why a check failed and returns -1. */
static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    return -1;
}

#define CHECK(cond, ...)                                                       \
    do {                                                                       \
        if (!(cond))                                                           \
            return fail(__VA_ARGS__);                                          \
    } while (0)

static pid_t tid_now(void)
{
    return (pid_t)syscall(SYS_gettid);
}

static long long ns_of(const struct timespec *t)
{
    return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static struct timespec clock_now(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return t;
}

/* The CLOCK_REALTIME time `ns` nanoseconds from now. */
static struct timespec deadline_in(long long ns)
{
    struct timespec now = clock_now(CLOCK_REALTIME);
    long long at = ns_of(&now) + ns;
    return (struct timespec){.tv_sec = at / 1000000000LL, .tv_nsec = at % 1000000000LL};
}

static void sleep_ms(long ms)
{
    struct timespec t = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) != 0 && errno == EINTR)
        ;
}

/* The number of entries (besides . and ..) of /proc/self/task, or -1. */
static int count_threads(void)
{
    DIR *dir = opendir("/proc/self/task");
    if (dir == NULL)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(dir);
    return n;
}

static const char *status_text(int status)
{
    static char text[64];
    if (WIFEXITED(status))
        snprintf(text, sizeof text, "exit status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(text, sizeof text, "killed by signal %d", WTERMSIG(status));
    else
        snprintf(text, sizeof text, "wait status %#x", status);
    return text;
}

/* Waits up to LIMIT_S seconds for the child `pid` (killing it after that) and
 * requires it to exit with `expected`; `why` explains the other statuses. */
static int expect_child(pid_t pid, int expected, const char *(*why)(int status))
{
    int status = 0;
    for (int i = 0; i < LIMIT_S * 100; i++) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r < 0)
            return fail("waitpid(%d): %s", (int)pid, strerror(errno));
        if (r == pid) {
            const char *extra = why != NULL ? why(status) : NULL;
            CHECK(WIFEXITED(status) && WEXITSTATUS(status) == expected,
                  "child %d: %s, expected exit status %d%s%s", (int)pid,
                  status_text(status), expected, extra != NULL ? ": " : "",
                  extra != NULL ? extra : "");
            return 0;
        }
        sleep_ms(10);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return fail("child %d did not end within %d s", (int)pid, LIMIT_S);
}

/* Forks (stdout flushed first so that nothing is printed twice). */
static pid_t fork_flushed(void)
{
    fflush(stdout);
    return fork();
}

/* pthread_create and pthread_join; a detached thread posts a semaphore. */

static void *double_it(void *arg)
{
    return (void *)((intptr_t)arg * 2);
}

static sem_t detached_done;
static pid_t detached_tid;

static void *detached_thread(void *arg)
{
    (void)arg;
    detached_tid = tid_now();
    sem_post(&detached_done);
    return NULL;
}

static int check_create_join_detach(void)
{
    pthread_t t;
    int rc = pthread_create(&t, NULL, double_it, (void *)21);
    CHECK(rc == 0, "pthread_create: %s", strerror(rc));
    void *value = NULL;
    rc = pthread_join(t, &value);
    CHECK(rc == 0, "pthread_join: %s", strerror(rc));
    CHECK((intptr_t)value == 42, "pthread_join gave %ld, expected 42", (long)(intptr_t)value);
    printf("pthread_create and pthread_join: the thread's value 42 came back\n");

    CHECK(sem_init(&detached_done, 0, 0) == 0, "sem_init: %s", strerror(errno));
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    rc = pthread_create(&t, &attr, detached_thread, NULL);
    pthread_attr_destroy(&attr);
    CHECK(rc == 0, "pthread_create (detached): %s", strerror(rc));
    struct timespec limit = deadline_in((long long)LIMIT_S * 1000000000LL);
    while ((rc = sem_timedwait(&detached_done, &limit)) != 0 && errno == EINTR)
        ;
    CHECK(rc == 0, "sem_timedwait for the detached thread: %s", strerror(errno));
    CHECK(detached_tid != getpid() && detached_tid > 0,
          "the detached thread's gettid was %d (pid %d)", (int)detached_tid, (int)getpid());
    sem_destroy(&detached_done);
    printf("a detached thread (tid %d, pid %d) posted a semaphore\n", (int)detached_tid,
           (int)getpid());
    return 0;
}

/* 8 threads x 100000 increments under a mutex. */

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *count_up(void *arg)
{
    (void)arg;
    for (int i = 0; i < COUNTER_ROUNDS; i++) {
        pthread_mutex_lock(&counter_lock);
        counter++;
        pthread_mutex_unlock(&counter_lock);
    }
    return NULL;
}

static int check_mutex_counter(void)
{
    pthread_t threads[COUNTER_THREADS];
    for (int i = 0; i < COUNTER_THREADS; i++) {
        int rc = pthread_create(&threads[i], NULL, count_up, NULL);
        CHECK(rc == 0, "pthread_create (counter %d): %s", i, strerror(rc));
    }
    for (int i = 0; i < COUNTER_THREADS; i++) {
        int rc = pthread_join(threads[i], NULL);
        CHECK(rc == 0, "pthread_join (counter %d): %s", i, strerror(rc));
    }
    long expected = (long)COUNTER_THREADS * COUNTER_ROUNDS;
    CHECK(counter == expected, "the counter is %ld, expected %ld", counter, expected);
    printf("%d threads x %d increments under a mutex: %ld\n", COUNTER_THREADS, COUNTER_ROUNDS,
           counter);
    return 0;
}

/* Condition variables: a timed wait that times out, one that is signalled. */

static pthread_mutex_t cond_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int cond_ready;

static void *signal_cond(void *arg)
{
    (void)arg;
    sleep_ms(50);
    pthread_mutex_lock(&cond_lock);
    cond_ready = 1;
    pthread_cond_signal(&cond);
    pthread_mutex_unlock(&cond_lock);
    return NULL;
}

static int check_condvars(void)
{
    pthread_mutex_lock(&cond_lock);
    struct timespec start = clock_now(CLOCK_MONOTONIC);
    struct timespec deadline = deadline_in(TIMEOUT_NS);
    int rc;
    while ((rc = pthread_cond_timedwait(&cond, &cond_lock, &deadline)) == 0)
        ;
    struct timespec end_real = clock_now(CLOCK_REALTIME);
    struct timespec end = clock_now(CLOCK_MONOTONIC);
    pthread_mutex_unlock(&cond_lock);
    long long waited = ns_of(&end) - ns_of(&start);
    CHECK(rc == ETIMEDOUT, "pthread_cond_timedwait with nobody signalling gave %s, expected ETIMEDOUT",
          strerror(rc));
    CHECK(ns_of(&end_real) >= ns_of(&deadline),
          "pthread_cond_timedwait timed out %lld ns before its CLOCK_REALTIME deadline",
          ns_of(&deadline) - ns_of(&end_real));
    CHECK(waited < (long long)LIMIT_S * 1000000000LL, "the %ld ms timed wait took %lld ms",
          TIMEOUT_NS / 1000000, waited / 1000000);
    printf("pthread_cond_timedwait timed out (ETIMEDOUT) after %lld ms, deadline %ld ms\n",
           waited / 1000000, TIMEOUT_NS / 1000000);

    pthread_t t;
    rc = pthread_create(&t, NULL, signal_cond, NULL);
    CHECK(rc == 0, "pthread_create (signaller): %s", strerror(rc));
    pthread_mutex_lock(&cond_lock);
    deadline = deadline_in((long long)LIMIT_S * 1000000000LL);
    rc = 0;
    while (!cond_ready && rc == 0)
        rc = pthread_cond_timedwait(&cond, &cond_lock, &deadline);
    int ready = cond_ready;
    pthread_mutex_unlock(&cond_lock);
    pthread_join(t, NULL);
    CHECK(rc == 0 && ready, "the signalled pthread_cond_timedwait gave %s with the condition %s",
          strerror(rc), ready ? "true" : "false");
    printf("pthread_cond_timedwait returned 0 when another thread signalled\n");
    return 0;
}

/* pthread_kill of SIGUSR1 to one thread. */

static volatile pid_t handler_tid;
static volatile pthread_t handler_self;
static volatile sig_atomic_t handler_runs;
static pid_t target_tid;
static sem_t target_ready;

static void record_handler(int sig)
{
    (void)sig;
    handler_tid = tid_now();
    handler_self = pthread_self();
    handler_runs++;
}

static void *await_signal(void *arg)
{
    (void)arg;
    target_tid = tid_now();
    sem_post(&target_ready);
    for (int i = 0; i < LIMIT_S * 1000 && handler_runs == 0; i++)
        sleep_ms(1);
    return NULL;
}

static int check_pthread_kill(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = record_handler;
    sigemptyset(&sa.sa_mask);
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction(SIGUSR1): %s", strerror(errno));
    CHECK(sem_init(&target_ready, 0, 0) == 0, "sem_init: %s", strerror(errno));
    pthread_t t;
    int rc = pthread_create(&t, NULL, await_signal, NULL);
    CHECK(rc == 0, "pthread_create (signal target): %s", strerror(rc));
    while (sem_wait(&target_ready) != 0 && errno == EINTR)
        ;
    rc = pthread_kill(t, SIGUSR1);
    CHECK(rc == 0, "pthread_kill(SIGUSR1): %s", strerror(rc));
    pthread_join(t, NULL);
    sem_destroy(&target_ready);
    signal(SIGUSR1, SIG_DFL);
    CHECK(handler_runs == 1, "the SIGUSR1 handler ran %d times, expected once", (int)handler_runs);
    CHECK(handler_tid == target_tid,
          "the SIGUSR1 handler ran in thread %d, not in the target %d (main thread %d)",
          (int)handler_tid, (int)target_tid, (int)tid_now());
    CHECK(pthread_equal(handler_self, t), "pthread_self in the SIGUSR1 handler is not the target's");
    printf("pthread_kill(SIGUSR1): the handler ran in the target thread (tid %d)\n",
           (int)target_tid);
    return 0;
}

/* exit(3) in a second thread of a forked child. */

static void *exit_process(void *arg)
{
    (void)arg;
    exit(EXIT_GROUP_STATUS);
}

static const char *explain_exit_group(int status)
{
    if (WIFEXITED(status) && WEXITSTATUS(status) == CHILD_THREAD_ONLY)
        return "exit ended only the thread: the main thread's join returned";
    return NULL;
}

static int check_exit_group(void)
{
    pid_t pid = fork_flushed();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        pthread_t t;
        if (pthread_create(&t, NULL, exit_process, NULL) != 0)
            _exit(CHILD_SETUP_FAILED);
        pthread_join(t, NULL);
        _exit(CHILD_THREAD_ONLY);
    }
    if (expect_child(pid, EXIT_GROUP_STATUS, explain_exit_group) != 0)
        return -1;
    printf("exit(%d) in a second thread ended the process with status %d\n", EXIT_GROUP_STATUS,
           EXIT_GROUP_STATUS);
    return 0;
}

/* execve of /proc/self/exe in a second thread of a forked child. */

static void *exec_self(void *arg)
{
    (void)arg;
    char *argv[] = {"/proc/self/exe", NOOP_ARG, NULL};
    execv(argv[0], argv);
    printf("execve(/proc/self/exe) in a thread: %s\n", strerror(errno));
    fflush(stdout);
    _exit(CHILD_SETUP_FAILED);
}

static const char *explain_exec(int status)
{
    if (!WIFEXITED(status))
        return NULL;
    switch (WEXITSTATUS(status)) {
    case CHILD_SETUP_FAILED:
        return "pthread_create or execve failed";
    case CHILD_THREAD_ONLY:
        return "the exec-ing thread ended and the main thread's join returned";
    case NOOP_THREADS_LEFT:
        return "the new image has more than one thread in /proc/self/task";
    case NOOP_TID_NOT_PID:
        return "the new image's gettid is not its pid";
    default:
        return NULL;
    }
}

static int check_exec_in_thread(void)
{
    pid_t pid = fork_flushed();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        pthread_t t;
        if (pthread_create(&t, NULL, exec_self, NULL) != 0)
            _exit(CHILD_SETUP_FAILED);
        pthread_join(t, NULL);
        _exit(CHILD_THREAD_ONLY);
    }
    if (expect_child(pid, NOOP_STATUS, explain_exec) != 0)
        return -1;
    printf("execve(/proc/self/exe) in a second thread: the new image (one thread, tid = pid) "
           "exited %d\n", NOOP_STATUS);
    return 0;
}

/* The new image of the execve check. */
static int noop_image(void)
{
    if (count_threads() != 1)
        return NOOP_THREADS_LEFT;
    if (tid_now() != getpid())
        return NOOP_TID_NOT_PID;
    return NOOP_STATUS;
}

/* fork in a second thread. */

static const char *explain_fork(int status)
{
    static char text[96];
    if (!WIFEXITED(status))
        return NULL;
    int code = WEXITSTATUS(status);
    if (code == CHILD_SETUP_FAILED)
        return "the child could not open /proc/self/task";
    if (code == NOOP_TID_NOT_PID)
        return "the child's gettid is not its pid";
    if (code > 10 && code <= 60) {
        snprintf(text, sizeof text, "the child's /proc/self/task has %d entries%s", code - 10,
                 code == 60 ? " or more" : "");
        return text;
    }
    return NULL;
}

/* Forks; the child checks that it has one thread. Returns 0 or -1 (see reason). */
static void *fork_in_thread(void *arg)
{
    (void)arg;
    pid_t pid = fork_flushed();
    if (pid < 0)
        return (void *)(intptr_t)fail("fork in a thread: %s", strerror(errno));
    if (pid == 0) {
        int n = count_threads();
        if (n < 0)
            _exit(CHILD_SETUP_FAILED);
        if (tid_now() != getpid())
            _exit(NOOP_TID_NOT_PID);
        _exit(n == 1 ? 0 : 10 + (n > 50 ? 50 : n));
    }
    return (void *)(intptr_t)expect_child(pid, 0, explain_fork);
}

static int check_fork_in_thread(void)
{
    pthread_t t;
    int rc = pthread_create(&t, NULL, fork_in_thread, NULL);
    CHECK(rc == 0, "pthread_create (forker): %s", strerror(rc));
    void *result = NULL;
    pthread_join(t, &result);
    if ((intptr_t)result != 0)
        return -1;
    printf("fork in a second thread: the child had one thread (tid = pid) and exited 0\n");
    return 0;
}

/* A robust mutex whose owner thread ends while holding it. */

static pthread_mutex_t robust;

static void *lock_and_end(void *arg)
{
    (void)arg;
    return (void *)(intptr_t)pthread_mutex_lock(&robust);
}

static int check_robust_mutex(void)
{
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    int rc = pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
    CHECK(rc == 0, "pthread_mutexattr_setrobust: %s", strerror(rc));
    rc = pthread_mutex_init(&robust, &attr);
    pthread_mutexattr_destroy(&attr);
    CHECK(rc == 0, "pthread_mutex_init (robust): %s", strerror(rc));
    pthread_t t;
    rc = pthread_create(&t, NULL, lock_and_end, NULL);
    CHECK(rc == 0, "pthread_create (owner): %s", strerror(rc));
    void *locked = NULL;
    pthread_join(t, &locked);
    CHECK((intptr_t)locked == 0, "the owner's pthread_mutex_lock: %s", strerror((int)(intptr_t)locked));
    rc = pthread_mutex_lock(&robust);
    CHECK(rc == EOWNERDEAD, "pthread_mutex_lock after the owner ended gave %s, expected EOWNERDEAD",
          rc == 0 ? "0" : strerror(rc));
    rc = pthread_mutex_consistent(&robust);
    CHECK(rc == 0, "pthread_mutex_consistent: %s", strerror(rc));
    rc = pthread_mutex_unlock(&robust);
    CHECK(rc == 0, "pthread_mutex_unlock after pthread_mutex_consistent: %s", strerror(rc));
    rc = pthread_mutex_lock(&robust);
    CHECK(rc == 0, "pthread_mutex_lock of the consistent mutex: %s", strerror(rc));
    rc = pthread_mutex_unlock(&robust);
    CHECK(rc == 0, "pthread_mutex_unlock: %s", strerror(rc));
    pthread_mutex_destroy(&robust);
    printf("robust mutex: EOWNERDEAD after its owner thread ended; consistent, unlock and lock "
           "again work\n");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], NOOP_ARG) == 0)
        _exit(noop_image());
    setvbuf(stdout, NULL, _IOLBF, 0);
    static int (*const checks[])(void) = {
        check_create_join_detach, check_mutex_counter, check_condvars,
        check_pthread_kill,       check_exit_group,    check_exec_in_thread,
        check_fork_in_thread,     check_robust_mutex,
    };
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        if (checks[i]() != 0) {
            printf("KTEST FAIL " NAME ": %s\n", reason);
            return 1;
        }
    }
    printf("KTEST PASS " NAME "\n");
    return 0;
}
