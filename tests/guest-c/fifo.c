/* ktest-fifo: named pipes as Linux has them (fifo(7)): mkfifo and mknod make a
 * FIFO inode; opening for reading waits for a writer and for writing waits for a
 * reader (the order of the two opens does not matter, even when the writer has
 * written and closed before the reader's open returns), O_NONBLOCK opens for
 * reading at once and for writing gives ENXIO without a reader, O_RDWR never
 * waits, fstat of an open FIFO is the inode's, data left when the last opener
 * closes is gone, and mknod refuses directories (EPERM) and unknown types
 * (EINVAL). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...)                              \
    do {                                              \
        if (!(cond)) {                                \
            printf("fifo: FAILED: " __VA_ARGS__);     \
            printf(" (line %d)\n", __LINE__);         \
            failures++;                               \
        }                                             \
    } while (0)

/* A child that opens `path` for writing, writes `text` and exits. */
static pid_t writer(const char *path, const char *text) {
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(path, O_WRONLY);
        if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) _exit(1);
        _exit(0);
    }
    return pid;
}

int main(void) {
    char dir[] = "/tmp/ktest-fifo-XXXXXX";
    if (!mkdtemp(dir)) {
        printf("fifo: mkdtemp: %s\nKTEST FAIL fifo\n", strerror(errno));
        return 1;
    }
    char path[64], other[64];
    snprintf(path, sizeof path, "%s/ff", dir);
    snprintf(other, sizeof other, "%s/node", dir);

    CHECK(mkfifo(path, 0640) == 0, "mkfifo: %s", strerror(errno));
    struct stat st;
    CHECK(stat(path, &st) == 0 && S_ISFIFO(st.st_mode) && (st.st_mode & 0777) == 0640, "stat mode %o",
          (unsigned)st.st_mode);
    CHECK(mkfifo(path, 0640) == -1 && errno == EEXIST, "mkfifo of an existing name is EEXIST");

    /* The writer opens first and blocks; the reader's open releases it. */
    pid_t pid = writer(path, "through fifo\n");
    usleep(100000);
    int fd = open(path, O_RDONLY);
    CHECK(fd >= 0, "open for reading: %s", strerror(errno));
    char buf[64] = {0};
    ssize_t n = read(fd, buf, sizeof buf - 1);
    CHECK(n == 13 && strcmp(buf, "through fifo\n") == 0, "read %zd bytes: %s", n, buf);
    int status;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the writer's status");
    CHECK(read(fd, buf, sizeof buf) == 0, "end of file once the writer is gone");
    struct stat open_st;
    CHECK(fstat(fd, &open_st) == 0 && open_st.st_ino == st.st_ino && S_ISFIFO(open_st.st_mode),
          "fstat of the open FIFO is its inode's");
    close(fd);

    /* The reader opens first (a forked writer writes and exits at once). */
    pid = fork();
    if (pid == 0) {
        usleep(100000);
        int w = open(path, O_WRONLY);
        _exit(w >= 0 && write(w, "late\n", 5) == 5 ? 0 : 1);
    }
    fd = open(path, O_RDONLY);
    memset(buf, 0, sizeof buf);
    n = read(fd, buf, sizeof buf - 1);
    CHECK(n == 5 && strcmp(buf, "late\n") == 0, "the reader that opened first reads %zd: %s", n, buf);
    waitpid(pid, &status, 0);
    close(fd);

    CHECK(open(path, O_WRONLY | O_NONBLOCK) == -1 && errno == ENXIO, "O_WRONLY|O_NONBLOCK without a reader is ENXIO");
    int r = open(path, O_RDONLY | O_NONBLOCK);
    CHECK(r >= 0, "O_RDONLY|O_NONBLOCK opens at once");
    CHECK(read(r, buf, sizeof buf) == 0, "a nonblocking reader with no writer reads end of file");
    int w = open(path, O_WRONLY | O_NONBLOCK);
    CHECK(w >= 0, "O_WRONLY|O_NONBLOCK with a reader opens");
    CHECK(write(w, "left", 4) == 4, "write");
    struct pollfd p = {.fd = r, .events = POLLIN};
    CHECK(poll(&p, 1, 0) == 1 && (p.revents & POLLIN), "poll: readable");
    close(r);
    close(w);
    int rw = open(path, O_RDWR);
    CHECK(rw >= 0, "O_RDWR never waits");
    CHECK(fcntl(rw, F_SETFL, O_NONBLOCK) == 0, "F_SETFL");
    CHECK(read(rw, buf, sizeof buf) == -1 && errno == EAGAIN, "data left at the last close is gone");
    CHECK(write(rw, "x", 1) == 1 && read(rw, buf, 1) == 1 && buf[0] == 'x', "O_RDWR reads its own writes");
    close(rw);

    CHECK(mknod(other, S_IFIFO | 0600, 0) == 0, "mknod S_IFIFO: %s", strerror(errno));
    CHECK(stat(other, &st) == 0 && S_ISFIFO(st.st_mode), "mknod made a FIFO");
    unlink(other);
    CHECK(mknod(other, S_IFREG | 0600, 0) == 0 && stat(other, &st) == 0 && S_ISREG(st.st_mode),
          "mknod S_IFREG makes a file");
    unlink(other);
    CHECK(mknod(other, S_IFDIR | 0700, 0) == -1 && errno == EPERM, "mknod S_IFDIR is EPERM");
    CHECK(mknod(other, 0170000 | 0600, 0) == -1 && errno == EINVAL, "mknod of an unknown type is EINVAL");

    unlink(path);
    rmdir(dir);
    if (failures) {
        printf("KTEST FAIL fifo: %d failures\n", failures);
        return 1;
    }
    printf("fifo: both open orders, O_NONBLOCK, O_RDWR, fstat, poll, mknod\n");
    printf("KTEST PASS fifo\n");
    return 0;
}
