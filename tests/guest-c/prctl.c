/* ktest-prctl: prctl(2) as Linux has it: the thread name, the parent-death
 * signal (delivered when the parent ends), the child subreaper (orphans come to
 * it, not to init), the dumpable flag, keep-caps, the timer slack,
 * no-new-privileges (inherited by fork, never cleared), the seccomp mode, the
 * capability bounding set, the clear-child-tid address, and EINVAL for bad
 * arguments and unknown options. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;
static int death_pipe[2];

#define CHECK(cond, ...)                              \
    do {                                              \
        if (!(cond)) {                                \
            printf("prctl: FAILED: " __VA_ARGS__);    \
            printf(" (line %d)\n", __LINE__);         \
            failures++;                               \
        }                                             \
    } while (0)

static void on_death_signal(int sig) {
    char c = (char)sig;
    (void)!write(death_pipe[1], &c, 1);
    _exit(0);
}

int main(void) {
    char name[16] = {0};
    CHECK(prctl(PR_SET_NAME, "renamed-task", 0, 0, 0) == 0, "PR_SET_NAME");
    CHECK(prctl(PR_GET_NAME, name, 0, 0, 0) == 0 && strcmp(name, "renamed-task") == 0, "PR_GET_NAME: %s", name);

    /* The parent-death signal: a grandchild asks for SIGUSR1 and its parent exits. */
    CHECK(pipe(death_pipe) == 0, "pipe");
    int ready[2];
    CHECK(pipe(ready) == 0, "pipe");
    pid_t middle = fork();
    if (middle == 0) {
        pid_t grandchild = fork();
        if (grandchild == 0) {
            signal(SIGUSR1, on_death_signal);
            prctl(PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0);
            int sig = -1;
            prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0);
            char c = sig == SIGUSR1 ? 'y' : 'n';
            (void)!write(ready[1], &c, 1);
            for (;;) pause();
        }
        char c;
        (void)!read(ready[0], &c, 1);
        _exit(c == 'y' ? 0 : 1);
    }
    int status;
    waitpid(middle, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "PR_GET_PDEATHSIG reads back SIGUSR1");
    char got = 0;
    CHECK(read(death_pipe[0], &got, 1) == 1 && got == SIGUSR1, "the parent-death signal arrived: %d", got);

    /* The subreaper: an orphaned grandchild becomes our child. */
    CHECK(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0, "PR_SET_CHILD_SUBREAPER");
    int reaper = 0;
    CHECK(prctl(PR_GET_CHILD_SUBREAPER, &reaper, 0, 0, 0) == 0 && reaper == 1, "PR_GET_CHILD_SUBREAPER");
    int report[2];
    CHECK(pipe(report) == 0, "pipe");
    pid_t me = getpid();
    middle = fork();
    if (middle == 0) {
        if (fork() == 0) {
            usleep(100000); /* until the middle process has gone */
            pid_t ids[2] = {getpid(), getppid()};
            (void)!write(report[1], ids, sizeof ids);
            _exit(7);
        }
        _exit(0);
    }
    waitpid(middle, &status, 0);
    pid_t ids[2] = {0, 0};
    CHECK(read(report[0], ids, sizeof ids) == sizeof ids && ids[1] == me,
          "the orphan's parent is the subreaper (%d, not %d)", me, ids[1]);
    /* (When this runs as init, the first orphan came here too: wait for this one.) */
    pid_t reaped = waitpid(ids[0], &status, 0);
    CHECK(reaped == ids[0] && WIFEXITED(status) && WEXITSTATUS(status) == 7, "the subreaper reaps the orphan");

    CHECK(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 1, "dumpable by default");
    CHECK(prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0 && prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0, "PR_SET_DUMPABLE 0");
    CHECK(prctl(PR_SET_DUMPABLE, 2, 0, 0, 0) == -1 && errno == EINVAL, "PR_SET_DUMPABLE 2 is EINVAL");
    CHECK(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) == 0, "PR_SET_DUMPABLE 1");

    CHECK(prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0) == 0, "keep-caps off by default");
    CHECK(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) == 0 && prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0) == 1, "PR_SET_KEEPCAPS");

    int slack = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
    CHECK(slack > 0, "a timer slack");
    CHECK(prctl(PR_SET_TIMERSLACK, 100000, 0, 0, 0) == 0 && prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0) == 100000,
          "PR_SET_TIMERSLACK");

    CHECK(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 0, "no-new-privs off");
    CHECK(prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0) == -1 && errno == EINVAL, "PR_SET_NO_NEW_PRIVS 0 is EINVAL");
    CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0, "PR_SET_NO_NEW_PRIVS");
    pid_t child = fork();
    if (child == 0) _exit(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? 0 : 1);
    waitpid(child, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "fork inherits no-new-privs");

    CHECK(prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 0, "no seccomp");
    CHECK(prctl(PR_CAPBSET_READ, 0, 0, 0, 0) == 1, "CAP_CHOWN in the bounding set");
    CHECK(prctl(PR_CAPBSET_READ, 1000, 0, 0, 0) == -1 && errno == EINVAL, "capability 1000 is EINVAL");
    int *address = (int *)1;
    CHECK(prctl(PR_GET_TID_ADDRESS, &address, 0, 0, 0) == 0, "PR_GET_TID_ADDRESS: %s", strerror(errno));
    CHECK(prctl(12345, 0, 0, 0, 0) == -1 && errno == EINVAL, "an unknown option is EINVAL");

    if (failures) {
        printf("KTEST FAIL prctl: %d failures\n", failures);
        return 1;
    }
    printf("prctl: name, parent-death signal, subreaper, dumpable, keep-caps, slack, no-new-privs\n");
    printf("KTEST PASS prctl\n");
    return 0;
}
