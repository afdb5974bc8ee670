/* ktest-vfork: vfork as Linux has it (clone with CLONE_VM | CLONE_VFORK): the
 * child runs in the parent's memory, so what it stores before _exit or a failed
 * execve is there for the parent (busybox reports exec errors this way), and the
 * parent sleeps until the child has exec'd or exited. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int stored;
static volatile int exec_errno;
static int failures;

int main(void) {
    pid_t pid = vfork();
    if (pid == 0) {
        stored = 42;
        _exit(3);
    }
    int status;
    /* The parent runs only once the child has exited: no wait needed to see it. */
    if (stored != 42) {
        printf("vfork: FAILED: the child's store is not in the parent (got %d)\n", stored);
        failures++;
    }
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 3) {
        printf("vfork: FAILED: the child's exit status\n");
        failures++;
    }

    pid = vfork();
    if (pid == 0) {
        char *argv[] = {"/no/such/program", NULL};
        execv(argv[0], argv);
        exec_errno = errno;
        _exit(127);
    }
    waitpid(pid, &status, 0);
    if (exec_errno != ENOENT) {
        printf("vfork: FAILED: the failed execve's errno in the parent is %d (%s)\n", exec_errno,
               strerror(exec_errno));
        failures++;
    }

    pid = vfork();
    if (pid == 0) {
        char *argv[] = {"/bin/true", NULL};
        execv(argv[0], argv);
        _exit(127);
    }
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        printf("vfork: FAILED: vfork then execve of /bin/true\n");
        failures++;
    }
    if (failures) {
        printf("KTEST FAIL vfork: %d failures\n", failures);
        return 1;
    }
    printf("vfork: stores, a failed execve's errno and an exec'd child, as Linux\n");
    printf("KTEST PASS vfork\n");
    return 0;
}
