/* ktest-getty: a login through getty on a pseudo-terminal, as on the consoles
 * that ask for one: getty prints "HOST login: ", takes the name, login asks the
 * password without echoing it, and the user's shell runs on that terminal as
 * its controlling terminal. Run as root (Kestrel's image: user "user",
 * password "user"). Each check prints a line; exits 0 when all passed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;
static char seen[16384];
static size_t used;

#define CHECK(cond, ...)                               \
    do {                                               \
        int passed = (cond);                           \
        printf("getty: %s: ", passed ? "ok" : "FAILED"); \
        printf(__VA_ARGS__);                           \
        printf("\n");                                  \
        failures += !passed;                           \
    } while (0)

/* Reads from the master until `text` has come (after `from`) or 20 s pass;
 * returns where it starts, or -1. */
static long expect(int master, size_t from, const char *text) {
    for (int waited = 0; waited < 200; waited++) {
        seen[used] = 0;
        char *at = strstr(seen + from, text);
        if (at)
            return at - seen;
        struct pollfd poll_fd = {.fd = master, .events = POLLIN};
        if (poll(&poll_fd, 1, 100) > 0) {
            ssize_t count = read(master, seen + used, sizeof seen - 1 - used);
            if (count <= 0)
                return -1;
            used += count;
        }
    }
    return -1;
}

static void say(int master, const char *text) {
    if (write(master, text, strlen(text)) < 0)
        perror("write");
}

int main(void) {
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) || unlockpt(master)) {
        perror("ptmx");
        return 1;
    }
    const char *slave = ptsname(master);
    pid_t child = fork();
    if (child == 0) {
        execl("/sbin/getty", "getty", "38400", slave + strlen("/dev/"), (char *)NULL);
        _exit(127);
    }
    long prompt = expect(master, 0, "login: ");
    CHECK(prompt >= 0, "getty asks for a name on %s", slave);
    say(master, "user\n");
    long password = expect(master, 0, "Password: ");
    CHECK(password >= 0, "login asks for the password");
    say(master, "user\n");
    long shell = expect(master, password, "$ ");
    CHECK(shell >= 0, "the user's shell prompts");
    CHECK(strncmp(seen + password + strlen("Password: "), "user", 4) != 0, "the password is not echoed");
    size_t mark = used;
    say(master, "id -u; ls -l /proc/self/fd/0\n");
    long uid = expect(master, mark, "\n1000\r\n");
    CHECK(uid >= 0, "the shell runs as user 1000");
    CHECK(expect(master, mark, slave) >= 0, "on the terminal getty opened");
    say(master, "exit\n");
    int status = 0;
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status), "the session ends when the shell exits");
    if (failures) {
        seen[used] = 0;
        printf("getty: the terminal showed:\n%s\n", seen);
    }
    printf("getty: %s\n", failures ? "FAILED" : "all passed");
    return failures != 0;
}
