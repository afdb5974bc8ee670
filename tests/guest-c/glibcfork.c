/* tests/guest-c/glibcfork.c: ktest-glibcfork, fork as glibc does it (built static
 * with gcc and glibc by scripts/build-ctests.sh; glibc's fork is clone with
 * CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID and the thread's tid field as the
 * child's tid pointer), each check as on Linux:
 * - fork 1000 times, each child calling _exit(0) at once: fork never returns -1
 *   (the errno is printed if it does) and every waitpid status is 0;
 * - a child writes its getpid() and getppid() into a pipe: they are what fork
 *   returned to the parent and the parent's own pid.
 * It prints a line per check, then `KTEST PASS glibcfork` (exit 0) or
 * `KTEST FAIL glibcfork: REASON` (exit 1).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define NAME "glibcfork"
#define FORKS 1000

/* Prints the failure line and exits 1. */
static void fail(const char *why, int n, int err)
{
    printf("KTEST FAIL " NAME ": %s (fork %d): %s (errno %d)\n", why, n, strerror(err), err);
    exit(1);
}

static void fork_many(void)
{
    for (int i = 0; i < FORKS; i++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid < 0)
            fail("fork returned -1", i, errno);
        if (pid == 0)
            _exit(0);
        int status = -1;
        pid_t reaped = waitpid(pid, &status, 0);
        if (reaped != pid)
            fail("waitpid did not reap the child", i, errno);
        if (status != 0) {
            printf("KTEST FAIL " NAME ": fork %d: the child's wait status is %#x, expected 0\n", i,
                   status);
            exit(1);
        }
    }
    printf("fork %d times: every child exited with wait status 0\n", FORKS);
}

static void child_pids(void)
{
    int fds[2];
    if (pipe(fds) != 0)
        fail("pipe", 0, errno);
    fflush(stdout);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0)
        fail("fork returned -1", 0, errno);
    if (pid == 0) {
        pid_t ids[2] = {getpid(), getppid()};
        close(fds[0]);
        _exit(write(fds[1], ids, sizeof ids) == (ssize_t)sizeof ids ? 0 : 1);
    }
    close(fds[1]);
    pid_t ids[2] = {0, 0};
    ssize_t n = read(fds[0], ids, sizeof ids);
    int err = errno;
    close(fds[0]);
    int status = -1;
    if (waitpid(pid, &status, 0) != pid)
        fail("waitpid did not reap the child", 0, errno);
    if (n != (ssize_t)sizeof ids)
        fail("reading the child's pids from the pipe gave too few bytes", 0, n < 0 ? err : 0);
    if (status != 0) {
        printf("KTEST FAIL " NAME ": the pid-reporting child's wait status is %#x\n", status);
        exit(1);
    }
    if (ids[0] != pid || ids[1] != parent) {
        printf("KTEST FAIL " NAME ": the child's getpid() is %d and getppid() %d; fork returned "
               "%d to the parent, whose pid is %d\n",
               (int)ids[0], (int)ids[1], (int)pid, (int)parent);
        exit(1);
    }
    printf("the child's getpid() %d is what fork returned, its getppid() %d the parent's pid\n",
           (int)ids[0], (int)ids[1]);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    fork_many();
    child_pids();
    printf("KTEST PASS " NAME "\n");
    return 0;
}
