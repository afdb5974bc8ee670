/* ktest-vt: the consoles as Linux has them with console=tty0 console=ttyS0:
 * the device nodes (/dev/console 5,1, /dev/tty0 4,0, /dev/tty1-4 4,1-4,
 * /dev/ttyS0 4,64); /dev/console is pid 1's controlling terminal here but never
 * becomes one by opening it, while a virtual console does; each console's own
 * settings, window size and controlling session (/proc/PID/stat's tty_nr);
 * TIOCNOTTY (the foreground group gets SIGHUP and SIGCONT, /dev/tty is gone),
 * TIOCSCTTY taking another session's terminal only with 1 (as root); and the
 * virtual console requests VT_GETSTATE, VT_ACTIVATE, VT_WAITACTIVE, KDGKBTYPE,
 * KDGKBMODE. It is written to Linux's behaviour as root with console=ttyS0
 * (not run there: the build host has no virtual consoles). With the argument
 * "fault" it only makes a page fault (for the kernel's log line). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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

/* linux/vt.h and linux/kd.h (musl-gcc has no kernel headers). */
#define VT_GETSTATE 0x5603
#define VT_ACTIVATE 0x5606
#define VT_WAITACTIVE 0x5607
#define KDGKBTYPE 0x4B33
#define KDGKBMODE 0x4B44
#define KB_101 0x02
#define K_XLATE 0x01
#define K_UNICODE 0x03
struct vt_stat {
    unsigned short v_active, v_signal, v_state;
};

#define CHECK_NAME "vt"
#include "check.h"

static int is_chr(const char *path, unsigned major_, unsigned minor_) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == major_ && minor(st.st_rdev) == minor_;
}

/* Field 7 of /proc/self/stat: the controlling terminal's device number. */
static long tty_nr(void) {
    char buf[512];
    int fd = open("/proc/self/stat", O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
    if (fd >= 0) close(fd);
    if (n <= 0) return -1;
    buf[n] = 0;
    const char *p = strrchr(buf, ')');
    long ppid, pgrp, session, tty;
    char state;
    if (!p || sscanf(p + 2, "%c %ld %ld %ld %ld", &state, &ppid, &pgrp, &session, &tty) != 5) return -1;
    return tty;
}

/* Runs `body` in a child and returns whether it exited with 0. */
static int in_child(int (*body)(void)) {
    pid_t child = fork();
    if (child == 0) _exit(body() ? 0 : 1);
    int status = 0;
    return child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void nodes(void) {
    CHECK(is_chr("/dev/console", 5, 1), "/dev/console is 5,1");
    CHECK(is_chr("/dev/tty0", 4, 0), "/dev/tty0 is 4,0");
    CHECK(is_chr("/dev/tty1", 4, 1) && is_chr("/dev/tty4", 4, 4), "/dev/tty1 to /dev/tty4 are 4,1 to 4,4");
    CHECK(is_chr("/dev/ttyS0", 4, 64), "/dev/ttyS0 is 4,64");
    CHECK(tty_nr() == (long)makedev(4, 64), "pid 1 controls the serial line (tty_nr %ld)", tty_nr());
    CHECK(isatty(1) && ioctl(1, TIOCGSID, &(pid_t){0}) == 0, "its /dev/console is its controlling terminal");
}

static int console_not_controlling(void) {
    setsid();
    int fd = open("/dev/console", O_RDWR);
    return fd >= 0 && fails_with(open("/dev/tty", O_RDWR), ENXIO) && tty_nr() == 0;
}

static int vt_controlling(void) {
    setsid();
    int fd = open("/dev/tty2", O_RDWR);
    pid_t sid = 0;
    return fd >= 0 && tty_nr() == (long)makedev(4, 2) && ioctl(fd, TIOCGSID, &sid) == 0 && sid == getpid();
}

static void opening(void) {
    CHECK(in_child(console_not_controlling), "opening /dev/console does not make it a controlling terminal");
    CHECK(in_child(vt_controlling), "opening /dev/tty2 makes it the new session's controlling terminal");
}

static void settings(void) {
    int one = open("/dev/tty1", O_RDWR | O_NOCTTY), two = open("/dev/tty2", O_RDWR | O_NOCTTY);
    struct termios t1, t2;
    CHECK(one >= 0 && two >= 0 && tcgetattr(two, &t2) == 0, "tty1 and tty2 open");
    t2.c_lflag &= ~(tcflag_t)ECHO;
    CHECK(tcsetattr(two, TCSANOW, &t2) == 0 && tcgetattr(one, &t1) == 0 && (t1.c_lflag & ECHO) &&
              tcgetattr(two, &t2) == 0 && !(t2.c_lflag & ECHO),
          "turning echo off on tty2 leaves tty1's on");
    t2.c_lflag |= ECHO;
    tcsetattr(two, TCSANOW, &t2);
    struct winsize ws;
    CHECK(ioctl(one, TIOCGWINSZ, &ws) == 0 && ws.ws_row >= 25 && ws.ws_col >= 80, "tty1 is the screen's size (%dx%d)",
          ws.ws_col, ws.ws_row);
    CHECK(write(two, "on tty2\n", 8) == 8, "writing to tty2");
    CHECK(fails_with(ioctl(two, TIOCNOTTY), ENOTTY), "TIOCNOTTY on a terminal not the caller's: ENOTTY");
    close(one);
    close(two);
}

static volatile sig_atomic_t hups, conts;
static void on_hup(int sig) { (void)sig; hups++; }
static void on_cont(int sig) { (void)sig; conts++; }

/* A session leader on tty3 with a foreground job that counts SIGHUP and SIGCONT
 * gives the terminal up. */
static int notty(void) {
    setsid();
    int fd = open("/dev/tty3", O_RDWR);
    int report[2];
    if (fd < 0 || pipe(report) != 0) return 0;
    pid_t job = fork();
    if (job == 0) {
        signal(SIGHUP, on_hup);
        signal(SIGCONT, on_cont);
        setpgid(0, 0);
        for (int i = 0; i < 500 && !(hups && conts); i++) usleep(10000);
        char c = (char)('0' + hups + 2 * conts);
        write(report[1], &c, 1);
        _exit(0);
    }
    setpgid(job, job);
    if (tcsetpgrp(fd, job) != 0) return 0;
    usleep(100000);
    if (ioctl(fd, TIOCNOTTY) != 0) return 0;
    char c = 0;
    read(report[0], &c, 1);
    waitpid(job, NULL, 0);
    return c == '3' && fails_with(open("/dev/tty", O_RDWR), ENXIO) && tty_nr() == 0;
}

/* A new session takes tty3 from another (a child holding it) only with 1. */
static int steal(void) {
    int ready[2], done[2];
    if (pipe(ready) != 0 || pipe(done) != 0) return 0;
    pid_t holder = fork();
    if (holder == 0) {
        setsid();
        char c = open("/dev/tty3", O_RDWR) >= 0 && tty_nr() == (long)makedev(4, 3) ? 'y' : 'n';
        write(ready[1], &c, 1);
        read(done[0], &c, 1);
        _exit(tty_nr() == 0 ? 0 : 1); /* it lost the terminal */
    }
    char c = 0;
    read(ready[0], &c, 1);
    setsid();
    int fd = open("/dev/tty3", O_RDWR | O_NOCTTY);
    int refused = fails_with(ioctl(fd, TIOCSCTTY, 0), EPERM);
    int taken = ioctl(fd, TIOCSCTTY, 1) == 0 && tty_nr() == (long)makedev(4, 3);
    write(done[1], "x", 1);
    int status = 0;
    waitpid(holder, &status, 0);
    return c == 'y' && refused && taken && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void controlling(void) {
    CHECK(in_child(notty), "TIOCNOTTY by a session leader: its foreground job gets SIGHUP and SIGCONT, no /dev/tty");
    CHECK(in_child(steal), "TIOCSCTTY takes another session's terminal only with 1");
}

static void vt_requests(void) {
    int fd = open("/dev/tty1", O_RDWR | O_NOCTTY);
    struct vt_stat st;
    CHECK(ioctl(fd, VT_GETSTATE, &st) == 0 && st.v_active == 1 && (st.v_state & 0x1e) == 0x1e,
          "VT_GETSTATE: tty1 shown (%d), 1-4 in use (%#x)", st.v_active, st.v_state);
    CHECK(ioctl(fd, VT_ACTIVATE, 3) == 0 && ioctl(fd, VT_WAITACTIVE, 3) == 0 && ioctl(fd, VT_GETSTATE, &st) == 0 &&
              st.v_active == 3,
          "VT_ACTIVATE 3, VT_WAITACTIVE 3: tty3 shown (%d)", st.v_active);
    int zero = open("/dev/tty0", O_RDWR | O_NOCTTY);
    struct stat a, b;
    CHECK(zero >= 0 && fstat(zero, &a) == 0 && stat("/dev/tty3", &b) == 0 && a.st_rdev == b.st_rdev,
          "/dev/tty0 opens the shown console, tty3");
    CHECK(fails_with(ioctl(fd, VT_ACTIVATE, 0), ENXIO), "VT_ACTIVATE 0: ENXIO");
    ioctl(fd, VT_ACTIVATE, 1);
    char type = 0;
    int mode = -1;
    CHECK(ioctl(fd, KDGKBTYPE, &type) == 0 && type == KB_101, "KDGKBTYPE: KB_101");
    CHECK(ioctl(fd, KDGKBMODE, &mode) == 0 && (mode == K_UNICODE || mode == K_XLATE), "KDGKBMODE: %d", mode);
    int serial = open("/dev/ttyS0", O_RDWR | O_NOCTTY);
    CHECK(fails_with(ioctl(serial, VT_GETSTATE, &st), ENOTTY), "VT_GETSTATE on the serial line: ENOTTY");
    close(serial);
    close(zero);
    close(fd);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && strcmp(argv[1], "fault") == 0) {
        volatile int *volatile nowhere = NULL;
        *nowhere = 1;
        return 1;
    }
    nodes();
    opening();
    settings();
    controlling();
    vt_requests();
    if (failures) {
        printf("KTEST FAIL vt: %d failures\n", failures);
        return 1;
    }
    printf("KTEST PASS vt\n");
    return 0;
}
