/* ktest-klog: the kernel log as Linux has it. syslog(2): READ_ALL's text
 * (<PRI>[    s.micros] text), CLEAR and READ_CLEAR, the destructive READ with
 * partial reads and SIZE_UNREAD, a READ blocked until a record comes, console
 * levels, EINVAL and EFAULT, and EPERM for a non-root caller but for READ_ALL
 * and SIZE_BUFFER. /dev/kmsg: its node (char 1,11, 0644), one record per read
 * (PRI,SEQ,USEC,-;text), <N> prefixes and the user default <12>, EINVAL for a
 * short buffer or a long write, EAGAIN, lseek (SEEK_SET, SEEK_END, SEEK_DATA,
 * ESPIPE, EINVAL), poll, a blocked read, the per-open ratelimit of 10 lines,
 * and EPIPE once after its records were overwritten. Run as root; on a Linux
 * host it changes the console level and clears the log for dmesg. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK_NAME "klog"
#include "check.h"

enum { CLOSE, OPEN, READ, READ_ALL, READ_CLEAR, CLEAR, CONSOLE_OFF, CONSOLE_ON, CONSOLE_LEVEL, SIZE_UNREAD, SIZE_BUFFER };

static char big[1 << 20];

static int log_line(const char *text) {
    int fd = open("/dev/kmsg", O_WRONLY);
    if (fd < 0) return -errno;
    ssize_t n = write(fd, text, strlen(text));
    int err = n < 0 ? -errno : 0;
    close(fd);
    return err;
}

/* READ_ALL's text, NUL-terminated in `big`. */
static int read_all(void) {
    int n = klogctl(READ_ALL, big, sizeof big - 1);
    big[n > 0 ? n : 0] = 0;
    return n;
}

/* Read one /dev/kmsg record into buf (NUL-terminated): its length or -errno. */
static int record(int fd, char *buf, size_t size) {
    ssize_t n = read(fd, buf, size - 1);
    if (n < 0) return -errno;
    buf[n] = 0;
    return (int)n;
}

static long seq_of(const char *rec) {
    int pri;
    long seq;
    return sscanf(rec, "%d,%ld,", &pri, &seq) == 2 ? seq : -1;
}

static void syslog_actions(void) {
    int size = klogctl(SIZE_BUFFER, NULL, 0);
    CHECK(size >= 4096, "SIZE_BUFFER %d", size);
    CHECK(klogctl(OPEN, NULL, 0) == 0 && klogctl(CLOSE, NULL, 0) == 0, "OPEN and CLOSE");
    CHECK(klogctl(11, NULL, 0) == -1 && errno == EINVAL, "action 11: EINVAL");
    CHECK(klogctl(READ_ALL, NULL, 10) == -1 && errno == EINVAL, "READ_ALL without a buffer: EINVAL");
    CHECK(klogctl(READ_ALL, big, -1) == -1 && errno == EINVAL, "READ_ALL of -1 bytes: EINVAL");
    CHECK(klogctl(READ_ALL, big, 0) == 0, "READ_ALL of 0 bytes");
    CHECK(klogctl(READ_ALL, (char *)8, 4096) == -1 && errno == EFAULT, "READ_ALL to a bad address: EFAULT");
    CHECK(klogctl(CONSOLE_LEVEL, NULL, 0) == -1 && errno == EINVAL, "console level 0: EINVAL");
    CHECK(klogctl(CONSOLE_LEVEL, NULL, 9) == -1 && errno == EINVAL, "console level 9: EINVAL");
    CHECK(klogctl(CONSOLE_OFF, NULL, 0) == 0 && klogctl(CONSOLE_ON, NULL, 0) == 0, "CONSOLE_OFF, CONSOLE_ON");
    CHECK(klogctl(CONSOLE_LEVEL, NULL, 7) == 0, "console level 7");

    CHECK(log_line("klog test one\n") == 0, "a write to /dev/kmsg");
    CHECK(read_all() > 0, "READ_ALL: %s", strerror(errno));
    char *line = strstr(big, "klog test one\n");
    CHECK(line != NULL, "READ_ALL has the record");
    if (line) {
        char *start = line;
        while (start > big && start[-1] != '\n') start--;
        unsigned long s, us;
        int pri, used = 0;
        CHECK(sscanf(start, "<%d>[%5lu.%6lu] %n", &pri, &s, &us, &used) == 3 && start + used == line,
              "the line's form: %.40s", start);
        CHECK(pri == 12, "a user's record is <12> (user, warning), got <%d>", pri);
        CHECK(line[-1] == ' ' && line[-2] == ']' && line[-9] == '.', "[%%5lu.%%06lu]: %.30s", start);
    }
    /* The newest that fit. */
    char small[64];
    int n = klogctl(READ_ALL, small, sizeof small);
    CHECK(n > 0 && n <= (int)sizeof small, "READ_ALL into 64 bytes gave %d", n);

    CHECK(klogctl(CLEAR, NULL, 0) == 0, "CLEAR");
    read_all();
    CHECK(strstr(big, "klog test one") == NULL, "CLEAR hides older records from READ_ALL");
    log_line("klog test two");
    CHECK(read_all() > 0 && strstr(big, "klog test two\n") != NULL, "READ_ALL after CLEAR has the new record");
    n = klogctl(READ_CLEAR, big, sizeof big - 1);
    big[n > 0 ? n : 0] = 0;
    CHECK(n > 0 && strstr(big, "klog test two\n") != NULL, "READ_CLEAR gives the record");
    read_all();
    CHECK(strstr(big, "klog test two") == NULL, "and clears it");

    /* READ consumes. */
    while (klogctl(SIZE_UNREAD, NULL, 0) > 0) klogctl(READ, big, sizeof big);
    CHECK(klogctl(SIZE_UNREAD, NULL, 0) == 0, "all read: SIZE_UNREAD 0");
    log_line("klog test three");
    int unread = klogctl(SIZE_UNREAD, NULL, 0);
    CHECK(unread == (int)strlen("<12>[    0.000000] klog test three\n"), "SIZE_UNREAD %d", unread);
    CHECK(klogctl(READ, big, 5) == 5 && memcmp(big, "<12>[", 5) == 0, "a READ of 5 bytes gives the start");
    CHECK(klogctl(SIZE_UNREAD, NULL, 0) == unread - 5, "SIZE_UNREAD is 5 less");
    n = klogctl(READ, big, sizeof big);
    CHECK(n == unread - 5 && memcmp(big + n - 16, "klog test three\n", 16) == 0, "the next READ the rest (%d)", n);
    CHECK(klogctl(READ, NULL, 5) == -1 && errno == EINVAL, "READ without a buffer: EINVAL");
    CHECK(klogctl(READ, big, 0) == 0, "READ of 0 bytes");

    pid_t child = fork();
    if (child == 0) {
        usleep(100000);
        log_line("klog test late");
        _exit(0);
    }
    n = klogctl(READ, big, sizeof big - 1);
    big[n > 0 ? n : 0] = 0;
    CHECK(n > 0 && strstr(big, "klog test late\n") != NULL, "a blocked READ gets the record written later");
    waitpid(child, NULL, 0);

    child = fork();
    if (child == 0) {
        if (setuid(1000) != 0) _exit(2);
        if (klogctl(SIZE_BUFFER, NULL, 0) <= 0) _exit(3);
        int restricted = 0;
        FILE *f = fopen("/proc/sys/kernel/dmesg_restrict", "r");
        if (f) {
            if (fscanf(f, "%d", &restricted) != 1) restricted = 0;
            fclose(f);
        }
        if (!restricted && klogctl(READ_ALL, big, sizeof big) <= 0) _exit(4);
        int denied[] = {CLOSE, OPEN, READ, READ_CLEAR, CLEAR, CONSOLE_OFF, CONSOLE_ON, CONSOLE_LEVEL, SIZE_UNREAD, 11};
        for (unsigned i = 0; i < sizeof denied / sizeof *denied; i++)
            if (klogctl(denied[i], big, 7) != -1 || errno != EPERM) _exit(10 + i);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "non-root: READ_ALL and SIZE_BUFFER only (child %x)", status);
}

static void dev_kmsg(void) {
    struct stat st;
    CHECK(stat("/dev/kmsg", &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 11 &&
              (st.st_mode & 0777) == 0644,
          "/dev/kmsg is crw-r--r-- 1,11");
    char buf[4096];
    int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
    CHECK(fd >= 0, "open /dev/kmsg: %s", strerror(errno));
    CHECK(record(fd, buf, sizeof buf) > 0, "the first read gives the oldest record");
    CHECK(lseek(fd, 0, SEEK_END) == 0, "SEEK_END");
    CHECK(record(fd, buf, sizeof buf) == -EAGAIN, "at the end: EAGAIN");
    struct pollfd p = {.fd = fd, .events = POLLIN};
    CHECK(poll(&p, 1, 0) == 0, "at the end: not readable");

    log_line("<5>kmsg notice\n");
    log_line("kmsg plain");
    log_line("<30>kmsg daemon");
    CHECK(poll(&p, 1, 0) == 1 && (p.revents & POLLIN), "readable after a write");
    CHECK(read(fd, buf, 8) == -1 && errno == EINVAL, "a buffer too small: EINVAL");
    int n = record(fd, buf, sizeof buf);
    long first = seq_of(buf);
    CHECK(n > 0 && strncmp(buf, "13,", 3) == 0 && strstr(buf, ",-;kmsg notice\n") && buf[n - 1] == '\n',
          "<5> from a user: 13,SEQ,USEC,-;text: %s", buf);
    record(fd, buf, sizeof buf);
    CHECK(strncmp(buf, "12,", 3) == 0 && strstr(buf, ";kmsg plain\n") && seq_of(buf) == first + 1,
          "no prefix: 12, the next number: %s", buf);
    record(fd, buf, sizeof buf);
    CHECK(strncmp(buf, "30,", 3) == 0 && strstr(buf, ";kmsg daemon\n"), "<30>: %s", buf);
    CHECK(record(fd, buf, sizeof buf) == -EAGAIN, "then EAGAIN again");

    CHECK(lseek(fd, 1, SEEK_SET) == -1 && errno == ESPIPE, "a non-zero offset: ESPIPE");
    CHECK(lseek(fd, 0, SEEK_CUR) == -1 && errno == EINVAL, "SEEK_CUR: EINVAL");
    CHECK(lseek(fd, 0, SEEK_SET) == 0, "SEEK_SET");
    CHECK(record(fd, buf, sizeof buf) > 0 && seq_of(buf) < first, "SEEK_SET goes back to the oldest");
    klogctl(CLEAR, NULL, 0);
    log_line("kmsg after clear");
    CHECK(lseek(fd, 0, SEEK_DATA) == 0, "SEEK_DATA");
    CHECK(record(fd, buf, sizeof buf) > 0 && strstr(buf, ";kmsg after clear\n"), "SEEK_DATA: after CLEAR: %s", buf);

    char longline[1100];
    memset(longline, 'x', sizeof longline);
    int w = open("/dev/kmsg", O_WRONLY);
    CHECK(write(w, longline, sizeof longline) == -1 && errno == EINVAL, "a write over 1024 bytes: EINVAL");
    lseek(fd, 0, SEEK_END);
    for (int i = 0; i < 12; i++) {
        snprintf(buf, sizeof buf, "kmsg burst %d", i);
        CHECK(write(w, buf, strlen(buf)) == (ssize_t)strlen(buf), "write %d", i);
    }
    close(w);
    int got = 0;
    while (record(fd, buf, sizeof buf) > 0)
        if (strstr(buf, ";kmsg burst ")) got++;
    CHECK(got == 10, "10 lines per open file pass the ratelimit, got %d", got);
    close(fd);

    fd = open("/dev/kmsg", O_RDONLY);
    lseek(fd, 0, SEEK_END);
    pid_t child = fork();
    if (child == 0) {
        usleep(100000);
        log_line("kmsg late");
        _exit(0);
    }
    CHECK(record(fd, buf, sizeof buf) > 0 && strstr(buf, ";kmsg late\n"), "a blocked read gets a later record");
    waitpid(child, NULL, 0);

    /* Overwrite the whole buffer under the cursor. */
    lseek(fd, 0, SEEK_SET);
    record(fd, buf, sizeof buf);
    long oldest = seq_of(buf);
    int size = klogctl(SIZE_BUFFER, NULL, 0);
    klogctl(CONSOLE_LEVEL, NULL, 1); /* not all of them on the console */
    memset(longline, 'y', 200);
    longline[200] = 0;
    for (int written = 0; written < 2 * size;) {
        int wfd = open("/dev/kmsg", O_WRONLY);
        for (int i = 0; i < 10; i++, written += 200) write(wfd, longline, 200);
        close(wfd);
    }
    klogctl(CONSOLE_LEVEL, NULL, 7);
    CHECK(record(fd, buf, sizeof buf) == -EPIPE, "records overwritten under the cursor: EPIPE");
    n = record(fd, buf, sizeof buf);
    CHECK(n > 0 && seq_of(buf) > oldest + 1, "then the oldest kept (%ld after %ld)", seq_of(buf), oldest);
    close(fd);
}

int main(void) {
    syslog_actions();
    dev_kmsg();
    if (failures) {
        printf("KTEST FAIL klog: %d failures\n", failures);
        return 1;
    }
    printf("KTEST PASS klog\n");
    return 0;
}
