/* ktest-eventfd: eventfd(2) as Linux has it: the counter read and reset, the
 * semaphore mode, EAGAIN with EFD_NONBLOCK on both sides, EINVAL for short
 * buffers and for adding 2^64-1, poll readiness, a reader blocked in one thread
 * woken by a write from another, and fstat of the anonymous inode. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...)                                  \
    do {                                                  \
        if (!(cond)) {                                    \
            printf("eventfd: FAILED: " __VA_ARGS__);      \
            printf(" (%s:%d)\n", __FILE__, __LINE__);     \
            failures++;                                   \
        }                                                 \
    } while (0)

static int64_t get(int fd) {
    uint64_t v;
    ssize_t n = read(fd, &v, sizeof v);
    return n == 8 ? (int64_t)v : -errno;
}

static int put(int fd, uint64_t v) {
    return write(fd, &v, sizeof v) == 8 ? 0 : -errno;
}

static short ready(int fd) {
    struct pollfd p = {.fd = fd, .events = POLLIN | POLLOUT};
    return poll(&p, 1, 0) == 1 ? p.revents : 0;
}

static void *writer(void *arg) {
    usleep(50000);
    put(*(int *)arg, 7);
    return NULL;
}

int main(void) {
    int fd = eventfd(3, EFD_NONBLOCK | EFD_CLOEXEC);
    CHECK(fd >= 0, "eventfd: %s", strerror(errno));
    CHECK(put(fd, 4) == 0, "write 4");
    CHECK(get(fd) == 7, "read gives the sum 7");
    CHECK(get(fd) == -EAGAIN, "read of 0 with EFD_NONBLOCK gives EAGAIN");
    CHECK(ready(fd) == POLLOUT, "empty: writable only, got %#x", ready(fd));
    CHECK(put(fd, UINT64_MAX) == -EINVAL, "adding 2^64-1 is EINVAL");
    CHECK(put(fd, UINT64_MAX - 1) == 0, "the counter holds 2^64-2");
    CHECK(ready(fd) == POLLIN, "full: readable only, got %#x", ready(fd));
    CHECK(put(fd, 1) == -EAGAIN, "a write past the maximum gives EAGAIN");
    uint32_t small;
    CHECK(read(fd, &small, sizeof small) == -1 && errno == EINVAL, "a 4-byte read is EINVAL");
    CHECK(write(fd, &small, sizeof small) == -1 && errno == EINVAL, "a 4-byte write is EINVAL");
    struct stat st;
    CHECK(fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0600, "fstat mode %o", (unsigned)st.st_mode);
    close(fd);

    int sem = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
    CHECK(get(sem) == 1 && get(sem) == 1 && get(sem) == -EAGAIN, "semaphore counts down by one");
    close(sem);

    int blocking = eventfd(0, 0);
    pthread_t t;
    pthread_create(&t, NULL, writer, &blocking);
    CHECK(get(blocking) == 7, "a blocked read gets the other thread's write");
    pthread_join(t, NULL);
    close(blocking);

    CHECK(eventfd(0, 0x12345) == -1 && errno == EINVAL, "unknown flags are EINVAL");
    if (failures) {
        printf("KTEST FAIL eventfd: %d failures\n", failures);
        return 1;
    }
    printf("KTEST PASS eventfd\n");
    return 0;
}
