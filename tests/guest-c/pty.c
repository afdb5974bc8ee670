/* ktest-pty: pseudo-terminals as Linux has them: posix_openpt, grantpt,
 * unlockpt and ptsname (the slave is EIO while locked), the slave's node in
 * devpts (owner, mode and group as the mount says, /proc/mounts), canonical mode
 * (a line only after its newline, echo back to the master as CR NL, erase, ^D),
 * raw mode, output processing, FIONREAD and poll on both sides, ^C sending SIGINT
 * to the slave's foreground group, a background reader's SIGTTIN (EIO when
 * ignored), the window size and SIGWINCH, /dev/tty, EIO on the master once the
 * slave has closed, the hangup a closing master gives the slave (SIGHUP, end of
 * file, EIO), and a shell run on a slave. Each check prints a line; it passes on
 * Linux too. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define CHECK_NAME "pty"
#include "check.h"

/* The events of `fd` ready within `ms` milliseconds. */
static short ready(int fd, short events, int ms) {
    struct pollfd p = {.fd = fd, .events = events};
    return poll(&p, 1, ms) == 1 ? p.revents : 0;
}

/* Reads from `fd` until `want` bytes came or nothing more comes for a second
 * (Linux moves pty data in the background); returns the count, NUL-terminated. */
static size_t read_some(int fd, char *buf, size_t want) {
    size_t got = 0;
    while (got < want && (ready(fd, POLLIN, 1000) & POLLIN)) {
        ssize_t n = read(fd, buf + got, want - got);
        if (n <= 0) break;
        got += (size_t)n;
    }
    buf[got] = 0;
    return got;
}

/* Whether `fd` gives exactly `expected` next. */
static int reads(int fd, const char *expected) {
    char buf[256];
    size_t len = strlen(expected);
    return read_some(fd, buf, len) == len && memcmp(buf, expected, len) == 0;
}

/* Whatever `fd` has now (after a moment for it to arrive) is dropped. */
static void drain(int fd) {
    char buf[256];
    while (ready(fd, POLLIN, 100) & POLLIN) {
        if (read(fd, buf, sizeof buf) <= 0) break;
    }
}

/* The value of option `name` (like "mode=") of the devpts mount, or NULL. */
static const char *devpts_option(const char *name, char *line, size_t size) {
    FILE *mounts = fopen("/proc/mounts", "r");
    const char *found = NULL;
    if (!mounts) return NULL;
    while (fgets(line, (int)size, mounts)) {
        if (strncmp(line, "devpts /dev/pts devpts ", 23) != 0) continue;
        char *option = strstr(line, name);
        if (option && (option[-1] == ',' || option[-1] == ' ')) found = option + strlen(name);
        else found = "";
        break;
    }
    fclose(mounts);
    return found;
}

/* A child's wait status. */
static int status_of(pid_t pid) {
    int status = -1;
    while (waitpid(pid, &status, 0) == -1 && errno == EINTR) {
    }
    return status;
}

/* The master, its slave's name, and checks of the pair's making. */
static int make_pair(char *name, size_t size) {
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    CHECK(m >= 0, "posix_openpt opens /dev/ptmx");
    CHECK(grantpt(m) == 0, "grantpt");
    CHECK(ptsname_r(m, name, size) == 0 && strncmp(name, "/dev/pts/", 9) == 0, "ptsname is %s", name);
    return m;
}

static void making(int *master, int *slave, char *name, size_t size) {
    int m = make_pair(name, size);
    unsigned number = 999;
    CHECK(ioctl(m, TIOCGPTN, &number) == 0 && (unsigned)atoi(name + 9) == number, "TIOCGPTN is %u", number);
    CHECK(isatty(m), "isatty(master)");
    int locked = -1;
    CHECK(ioctl(m, TIOCGPTLCK, &locked) == 0 && locked == 1, "a new slave is locked");
    CHECK(fails_with(open(name, O_RDWR | O_NOCTTY), EIO), "opening a locked slave is EIO");
    CHECK(unlockpt(m) == 0 && ioctl(m, TIOCGPTLCK, &locked) == 0 && locked == 0, "unlockpt unlocks it");
    int s = open(name, O_RDWR | O_NOCTTY);
    CHECK(s >= 0 && isatty(s), "the slave opens and is a terminal");
    char *tty = ttyname(s);
    CHECK(tty && strcmp(tty, name) == 0, "ttyname(slave) is %s", tty ? tty : "(none)");

    struct stat st, by_name, ptmx;
    CHECK(fstat(s, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) >= 136 && major(st.st_rdev) < 144,
          "the slave is a character device (%u, %u)", major(st.st_rdev), minor(st.st_rdev));
    CHECK(stat(name, &by_name) == 0 && by_name.st_ino == st.st_ino && by_name.st_dev == st.st_dev,
          "fstat(slave) is its node's stat");
    char line[512];
    const char *mode = devpts_option("mode=", line, sizeof line);
    CHECK(mode != NULL, "/proc/mounts has devpts on /dev/pts");
    unsigned expected_mode = mode && *mode ? (unsigned)strtoul(mode, NULL, 8) : 0600;
    CHECK((st.st_mode & 07777) == expected_mode, "the slave's mode is %o, as the mount says", st.st_mode & 07777);
    const char *gid = devpts_option("gid=", line, sizeof line);
    gid_t expected_gid = gid && *gid ? (gid_t)atoi(gid) : getegid();
    CHECK(st.st_uid == geteuid() && st.st_gid == expected_gid, "owned by the opener (uid %u, gid %u)", st.st_uid,
          st.st_gid);
    CHECK(fstat(m, &ptmx) == 0 && S_ISCHR(ptmx.st_mode) && major(ptmx.st_rdev) == 5 && minor(ptmx.st_rdev) == 2,
          "the master is /dev/ptmx (5, 2)");
    int listed = 0;
    DIR *dir = opendir("/dev/pts");
    for (struct dirent *entry; dir && (entry = readdir(dir));) listed |= strcmp(entry->d_name, name + 9) == 0;
    if (dir) closedir(dir);
    CHECK(listed, "/dev/pts lists %s", name + 9);

    int peer = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY);
    struct stat peer_st;
    CHECK(peer >= 0 && fstat(peer, &peer_st) == 0 && peer_st.st_rdev == st.st_rdev, "TIOCGPTPEER opens the slave");
    close(peer);

    struct termios t;
    CHECK(tcgetattr(s, &t) == 0 && (t.c_lflag & (ICANON | ECHO | ISIG)) == (ICANON | ECHO | ISIG) &&
              (t.c_oflag & (OPOST | ONLCR)) == (OPOST | ONLCR),
          "the slave starts canonical, echoing, with NL written as CR NL");
    struct termios via_master;
    CHECK(tcgetattr(m, &via_master) == 0 && via_master.c_lflag == t.c_lflag, "the master's settings are the slave's");
    *master = m;
    *slave = s;
}

static void canonical(int m, int s) {
    char buf[64];
    fcntl(s, F_SETFL, O_NONBLOCK);
    CHECK(write(m, "hello", 5) == 5, "write to the master");
    CHECK(reads(m, "hello"), "the slave echoes it to the master");
    int count = -1;
    CHECK(fails_with(read(s, buf, sizeof buf), EAGAIN) && ioctl(s, FIONREAD, &count) == 0 && count == 0,
          "nothing for the slave before the newline");
    CHECK(!(ready(s, POLLIN, 100) & POLLIN), "the slave does not poll readable yet");
    CHECK(write(m, "\n", 1) == 1 && (ready(s, POLLIN, 1000) & POLLIN), "the slave polls readable after the newline");
    CHECK(ioctl(s, FIONREAD, &count) == 0 && count == 6, "FIONREAD on the slave counts the line (%d)", count);
    CHECK(read(s, buf, sizeof buf) == 6 && memcmp(buf, "hello\n", 6) == 0, "the slave reads the line");
    CHECK(reads(m, "\r\n"), "the newline echoes as CR NL");

    CHECK(write(m, "ab\x7f" "c\n", 5) == 5 && (ready(s, POLLIN, 1000) & POLLIN) && read(s, buf, sizeof buf) == 3 &&
              memcmp(buf, "ac\n", 3) == 0,
          "erase takes a character back");
    drain(m);
    CHECK(write(m, "\x04", 1) == 1 && (ready(s, POLLIN, 1000) & POLLIN) && read(s, buf, sizeof buf) == 0,
          "^D at the start of a line is end of file");

    CHECK(write(s, "out\n", 4) == 4 && (ready(m, POLLIN, 1000) & POLLIN), "the master polls readable for output");
    usleep(100 * 1000);
    CHECK(ioctl(m, FIONREAD, &count) == 0 && count == 5, "FIONREAD on the master counts it (%d)", count);
    CHECK(reads(m, "out\r\n"), "the slave's NL reaches the master as CR NL");
    CHECK(!(ready(m, POLLIN, 100) & POLLIN), "a drained master does not poll readable");
    CHECK((ready(m, POLLOUT, 0) & POLLOUT) && (ready(s, POLLOUT, 0) & POLLOUT), "both sides poll writable");
    fcntl(s, F_SETFL, 0);
}

static void raw(int m, int s) {
    struct termios saved, t;
    char buf[16];
    tcgetattr(s, &saved);
    t = saved;
    cfmakeraw(&t);
    CHECK(tcsetattr(s, TCSANOW, &t) == 0, "cfmakeraw on the slave");
    CHECK(write(m, "a", 1) == 1 && (ready(s, POLLIN, 1000) & POLLIN) && read(s, buf, sizeof buf) == 1 && buf[0] == 'a',
          "raw mode: a byte at once");
    CHECK(!(ready(m, POLLIN, 100) & POLLIN), "raw mode: no echo");
    CHECK(write(m, "\x03", 1) == 1 && (ready(s, POLLIN, 1000) & POLLIN) && read(s, buf, sizeof buf) == 1 &&
              buf[0] == 3,
          "raw mode: ^C is a byte");
    CHECK(write(s, "x\n", 2) == 2 && reads(m, "x\n"), "raw mode: no output processing");
    CHECK(tcsetattr(s, TCSANOW, &saved) == 0, "canonical mode again");
}

/* Makes the slave `name` the controlling terminal of a new session led by the
 * caller (which has none before: /dev/tty is ENXIO), in the foreground; its
 * descriptor. */
static int take_terminal(const char *name) {
    if (setsid() < 0) _exit(90);
    if (!fails_with(open("/dev/tty", O_RDWR), ENXIO)) _exit(89);
    int fd = open(name, O_RDWR);
    if (fd < 0) _exit(91);
    if (ioctl(fd, TIOCSCTTY, 0) != 0) _exit(92); /* already: opening it did */
    if (tcsetpgrp(fd, getpid()) != 0) _exit(93);
    return fd;
}

/* Forks a child, which closes the master `m` and is bounded by an alarm (0 is
 * returned in it); *word is the pipe's end through which the child tells the
 * parent it is ready (announce, child_ready). */
static pid_t fork_child(int m, int *word) {
    int sync[2];
    *word = -1;
    if (pipe(sync) != 0) return -1;
    pid_t child = fork();
    if (child == 0) {
        close(m);
        close(sync[0]);
        alarm(10);
        *word = sync[1];
        return 0;
    }
    close(sync[1]);
    *word = sync[0];
    return child;
}

static void announce(int word) {
    if (write(word, "r", 1) != 1) _exit(95);
}

static int child_ready(int word) {
    char byte;
    int ok = read(word, &byte, 1) == 1;
    close(word);
    return ok;
}

static volatile sig_atomic_t caught;

static void on_signal(int sig) {
    caught = sig;
}

/* Catches `sig`, blocked until a sigsuspend with *old. */
static void catch_blocked(int sig, sigset_t *old) {
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, sig);
    sigprocmask(SIG_BLOCK, &block, old);
    signal(sig, on_signal);
}

static void interrupt(int m, const char *name) {
    int word;
    pid_t child = fork_child(m, &word);
    if (child == 0) {
        take_terminal(name);
        announce(word);
        for (;;) pause();
    }
    CHECK(child_ready(word), "a child took the slave as its controlling terminal");
    pid_t group = -1;
    CHECK(ioctl(m, TIOCGPGRP, &group) == 0 && group == child, "TIOCGPGRP on the master: the child's group");
    pid_t session = -1;
    CHECK(ioctl(m, TIOCGSID, &session) == 0 && session == child, "TIOCGSID on the master: the child's session");
    CHECK(write(m, "\x03", 1) == 1, "^C written to the master");
    int status = status_of(child);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT, "the foreground group dies by SIGINT (status %#x)",
          status);
    CHECK(reads(m, "^C"), "^C echoes as ^C");
    drain(m);
}

static void window(int m, const char *name) {
    struct winsize size = {0};
    CHECK(ioctl(m, TIOCGWINSZ, &size) == 0 && size.ws_row == 0 && size.ws_col == 0, "a new pty has no size");
    int word;
    pid_t child = fork_child(m, &word);
    if (child == 0) {
        sigset_t old;
        catch_blocked(SIGWINCH, &old);
        int fd = take_terminal(name);
        int tty = open("/dev/tty", O_RDWR);
        struct stat st;
        if (tty < 0 || fstat(tty, &st) != 0 || st.st_rdev != makedev(5, 0)) _exit(81);
        if (write(tty, "via tty\n", 8) != 8) _exit(82);
        announce(word);
        while (caught != SIGWINCH) sigsuspend(&old);
        struct winsize got;
        if (ioctl(tty, TIOCGWINSZ, &got) != 0 || got.ws_row != 30 || got.ws_col != 100) _exit(84);
        close(fd);
        _exit(0);
    }
    CHECK(child_ready(word), "a child waits for SIGWINCH");
    CHECK(reads(m, "via tty\r\n"), "/dev/tty is the child's controlling terminal");
    size.ws_row = 30;
    size.ws_col = 100;
    CHECK(ioctl(m, TIOCSWINSZ, &size) == 0, "TIOCSWINSZ on the master");
    int status = status_of(child);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the foreground group got SIGWINCH and the size (status %#x)",
          status);
}

static void background(int m, const char *name) {
    int word;
    pid_t child = fork_child(m, &word);
    if (child == 0) {
        int fd = take_terminal(name);
        int code = 0;
        for (int ignore = 0; ignore < 2; ignore++) {
            pid_t reader = fork();
            if (reader == 0) {
                char byte;
                setpgid(0, 0);
                if (ignore) signal(SIGTTIN, SIG_IGN);
                _exit(fails_with(read(fd, &byte, 1), EIO) ? 7 : 8);
            }
            int status = -1;
            waitpid(reader, &status, WUNTRACED);
            if (ignore ? !(WIFEXITED(status) && WEXITSTATUS(status) == 7)
                       : !(WIFSTOPPED(status) && WSTOPSIG(status) == SIGTTIN))
                code |= 1 << ignore;
            kill(reader, SIGKILL);
            waitpid(reader, &status, 0);
        }
        _exit(code);
    }
    close(word);
    int status = status_of(child);
    CHECK(WIFEXITED(status) && (WEXITSTATUS(status) & 1) == 0, "a background reader stops with SIGTTIN");
    CHECK(WIFEXITED(status) && (WEXITSTATUS(status) & 2) == 0, "a background reader ignoring SIGTTIN gets EIO");
}

static void slave_closes(void) {
    char name[64], buf[16];
    int m = make_pair(name, sizeof name);
    unlockpt(m);
    int s = open(name, O_RDWR | O_NOCTTY);
    CHECK(s >= 0 && write(s, "bye", 3) == 3, "a slave writes and closes");
    close(s);
    CHECK(read_some(m, buf, 3) == 3 && memcmp(buf, "bye", 3) == 0, "the master still reads what it wrote");
    CHECK(fails_with(read(m, buf, sizeof buf), EIO), "then EIO, with no slave open");
    CHECK(ready(m, POLLIN, 0) & POLLHUP, "and polls POLLHUP");
    s = open(name, O_RDWR | O_NOCTTY);
    CHECK(s >= 0 && !(ready(m, POLLIN, 0) & POLLHUP), "opening the slave again ends the hang-up");
    close(s);
    close(m);
}

static void master_closes(int m, int s, const char *name) {
    int word;
    pid_t child = fork_child(m, &word);
    if (child == 0) {
        sigset_t old;
        catch_blocked(SIGHUP, &old);
        int fd = take_terminal(name);
        announce(word);
        while (caught != SIGHUP) sigsuspend(&old);
        char byte;
        if (read(fd, &byte, 1) != 0) _exit(71);
        if (!fails_with(write(fd, "x", 1), EIO)) _exit(72);
        _exit(0);
    }
    CHECK(child_ready(word), "a session leader has the slave");
    CHECK(close(m) == 0, "the master closes");
    int status = status_of(child);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "the leader gets SIGHUP, then end of file and EIO (status %#x)", status);
    CHECK((ready(s, POLLIN, 0) & (POLLIN | POLLHUP)) == (POLLIN | POLLHUP), "the slave polls hung up");
    struct termios t;
    CHECK(fails_with(tcgetattr(s, &t), EIO), "its settings are EIO");
    struct stat st;
    CHECK(fails_with(stat(name, &st), ENOENT), "%s is gone", name);
    close(s);
}

/* A shell on a slave, driven through the master. */
static void shell(void) {
    const char *sh = access("/bin/sh", X_OK) == 0 ? "/bin/sh" : NULL;
    if (!sh) return;
    char name[64];
    int m = make_pair(name, sizeof name);
    unlockpt(m);
    int word;
    pid_t child = fork_child(m, &word);
    if (child == 0) {
        int fd = take_terminal(name);
        dup2(fd, 0);
        dup2(fd, 1);
        dup2(fd, 2);
        if (fd > 2) close(fd);
        execl(sh, "sh", (char *)NULL);
        _exit(127);
    }
    close(word);
    CHECK(write(m, "echo h''i\n", 10) == 10, "a command for %s on the slave", sh);
    char seen[4096];
    size_t got = 0;
    int found = 0;
    while (!found && got + 1 < sizeof seen && (ready(m, POLLIN, 5000) & POLLIN)) {
        ssize_t n = read(m, seen + got, sizeof seen - 1 - got);
        if (n <= 0) break;
        got += (size_t)n;
        seen[got] = 0;
        found = strstr(seen, "hi\r\n") != NULL; /* not the echo, h''i */
    }
    CHECK(found, "its output comes back through the master");
    CHECK(write(m, "exit\n", 5) == 5, "exit");
    int status = status_of(child);
    CHECK(WIFEXITED(status), "the shell exits (status %#x)", status);
    close(m);
}

int main(int argc, char **argv) {
    /* The test's name is the program's, past "ktest-" (the glibc build's too). */
    const char *test = argc > 0 && strstr(argv[0], "ktest-") ? strstr(argv[0], "ktest-") + 6 : "pty";
    setvbuf(stdout, NULL, _IONBF, 0);
    int m = -1, s = -1;
    char name[64] = "";
    making(&m, &s, name, sizeof name);
    if (m < 0 || s < 0) {
        printf("KTEST FAIL %s: no pty\n", test);
        return 1;
    }
    canonical(m, s);
    raw(m, s);
    interrupt(m, name);
    window(m, name);
    background(m, name);
    slave_closes();
    master_closes(m, s, name);
    shell();
    if (failures) {
        printf("KTEST FAIL %s: %d failures\n", test, failures);
        return 1;
    }
    printf("KTEST PASS %s\n", test);
    return 0;
}
