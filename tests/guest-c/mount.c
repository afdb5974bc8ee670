/* ktest-mount: mount(2) and umount2(2) as Linux has them, run as root: a tmpfs
 * with size=, mode=, its own st_dev and statfs, ENOSPC at its size, EXDEV across
 * it, /proc/self/mounts and mountinfo lines, getcwd and `..` across its root,
 * EBUSY while in use or with a mount inside, MNT_DETACH, MNT_EXPIRE, stacked
 * mounts, remount read-only (EROFS), noexec (EACCES), a second proc, and the
 * errors: ENODEV, ENOTDIR, ENOENT, EINVAL, EPERM for a non-root caller. Passes
 * on Linux as root. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MNT_EXPIRE
#define MNT_EXPIRE 4
#endif
#define TMPFS_MAGIC 0x01021994
#define PROC_SUPER_MAGIC 0x9fa0

static int failures;

#define CHECK(cond, ...)                              \
    do {                                              \
        if (!(cond)) {                                \
            printf("mount: FAILED: " __VA_ARGS__);    \
            printf(" (line %d)\n", __LINE__);         \
            failures++;                               \
        }                                             \
    } while (0)

/* Whether /proc/self/FILE has a line containing `text`. */
static int proc_has(const char *file, const char *text) {
    char path[64], line[512];
    snprintf(path, sizeof path, "/proc/self/%s", file);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    int found = 0;
    while (fgets(line, sizeof line, f))
        if (strstr(line, text)) found = 1;
    fclose(f);
    return found;
}

static int write_file(const char *path, size_t len) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    if (fd < 0) return -1;
    char buf[4096];
    memset(buf, 'x', sizeof buf);
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, buf, len - done < sizeof buf ? len - done : sizeof buf);
        if (n <= 0) {
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
        done += (size_t)n;
    }
    return close(fd);
}

int main(void) {
    char base[] = "/tmp/ktest-mount-XXXXXX";
    if (!mkdtemp(base)) {
        printf("mount: mkdtemp: %s\nKTEST FAIL mount\n", strerror(errno));
        return 1;
    }
    char mnt[64], file[80], sub[80], other[64], line[160];
    snprintf(mnt, sizeof mnt, "%s/mnt", base);
    snprintf(file, sizeof file, "%s/file", mnt);
    snprintf(sub, sizeof sub, "%s/sub", mnt);
    snprintf(other, sizeof other, "%s/other", base);
    mkdir(mnt, 0755);
    struct stat before, st, up;
    stat(mnt, &before);

    /* A tmpfs of 64 KiB, mode 750. */
    CHECK(mount("scratch", mnt, "tmpfs", 0, "size=64k,mode=0750") == 0, "mount tmpfs: %s", strerror(errno));
    CHECK(stat(mnt, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 0750, "root mode %o",
          (unsigned)st.st_mode);
    CHECK(st.st_dev != before.st_dev, "a new st_dev");
    CHECK(st.st_ino != before.st_ino || st.st_dev != before.st_dev, "a new root");
    struct statfs fs;
    CHECK(statfs(mnt, &fs) == 0 && fs.f_type == TMPFS_MAGIC && fs.f_blocks == 16 && fs.f_bfree == 16,
          "statfs: type %lx blocks %ld free %ld", (long)fs.f_type, (long)fs.f_blocks, (long)fs.f_bfree);
    snprintf(line, sizeof line, "scratch %s tmpfs rw,relatime,size=64k,mode=750", mnt);
    CHECK(proc_has("mounts", line), "/proc/self/mounts has \"%s\"", line);
    snprintf(line, sizeof line, " / %s rw,relatime - tmpfs scratch rw,size=64k,mode=750", mnt);
    CHECK(proc_has("mountinfo", line), "/proc/self/mountinfo has \"%s\"", line);

    /* Its size is enforced; its files are its own. */
    CHECK(write_file(file, 32768) == 0, "32 KiB fit: %s", strerror(errno));
    CHECK(statfs(mnt, &fs) == 0 && fs.f_bfree == 8, "8 pages left, not %ld", (long)fs.f_bfree);
    CHECK(write_file(sub, 65536) == -1 && errno == ENOSPC, "64 KiB more is ENOSPC");
    unlink(sub);
    CHECK(stat(file, &st) == 0 && st.st_size == 32768, "the file is there");
    CHECK(rename(file, other) == -1 && errno == EXDEV, "rename out of it is EXDEV");
    CHECK(link(file, other) == -1 && errno == EXDEV, "link out of it is EXDEV");

    /* getcwd and `..` cross its root. */
    CHECK(mkdir(sub, 0755) == 0, "mkdir in it");
    char cwd[128];
    CHECK(chdir(sub) == 0 && getcwd(cwd, sizeof cwd) && strcmp(cwd, sub) == 0, "getcwd %s", cwd);
    CHECK(stat("../..", &up) == 0 && stat(base, &st) == 0 && up.st_ino == st.st_ino && up.st_dev == st.st_dev,
          "../.. from inside is the directory holding the mount point");

    /* Busy while a process works in it or has a file of it open. */
    CHECK(umount(mnt) == -1 && errno == EBUSY, "umount while the cwd is in it is EBUSY");
    chdir("/");
    int fd = open(file, O_RDONLY);
    CHECK(umount(mnt) == -1 && errno == EBUSY, "umount while a file is open is EBUSY");
    close(fd);

    /* Read-only remount. */
    CHECK(mount(NULL, mnt, NULL, MS_REMOUNT | MS_RDONLY, NULL) == 0, "remount ro: %s", strerror(errno));
    CHECK(open(file, O_WRONLY) == -1 && errno == EROFS, "write-open on ro is EROFS");
    CHECK(mkdir(other, 0755) == 0, "outside still writable");
    rmdir(other);
    snprintf(line, sizeof line, "%s/new", mnt);
    CHECK(mkdir(line, 0755) == -1 && errno == EROFS, "mkdir on ro is EROFS");
    CHECK(unlink(file) == -1 && errno == EROFS, "unlink on ro is EROFS");
    CHECK(chmod(file, 0600) == -1 && errno == EROFS, "chmod on ro is EROFS");
    CHECK((fd = open(file, O_RDONLY)) >= 0, "read-open on ro works");
    close(fd);
    snprintf(line, sizeof line, "scratch %s tmpfs ro,", mnt);
    CHECK(proc_has("mounts", line), "/proc/self/mounts shows ro");
    CHECK(mount(NULL, mnt, NULL, MS_REMOUNT, "size=128k") == 0, "remount rw, larger: %s", strerror(errno));
    CHECK(statfs(mnt, &fs) == 0 && fs.f_blocks == 32, "now 32 pages, not %ld", (long)fs.f_blocks);

    /* A mount inside keeps it busy; MNT_DETACH takes both. */
    CHECK(mount("inner", sub, "tmpfs", 0, "") == 0, "mount inside: %s", strerror(errno));
    CHECK(stat(sub, &st) == 0 && (st.st_mode & 07777) == 01777, "default mode 1777, not %o", (unsigned)st.st_mode);
    CHECK(umount(mnt) == -1 && errno == EBUSY, "umount with a mount inside is EBUSY");
    CHECK(umount2(mnt, MNT_DETACH) == 0, "MNT_DETACH: %s", strerror(errno));
    CHECK(stat(file, &st) == -1 && errno == ENOENT, "its files are gone from the path");
    CHECK(!proc_has("mounts", "inner") && !proc_has("mounts", "scratch"), "both gone from /proc/self/mounts");
    CHECK(stat(mnt, &st) == 0 && st.st_dev == before.st_dev && st.st_ino == before.st_ino, "the directory again");

    /* Stacked mounts: the last one shows; umount uncovers the first. */
    CHECK(mount("first", mnt, "tmpfs", 0, NULL) == 0 && write_file(file, 10) == 0, "first mount");
    CHECK(mount("second", mnt, "tmpfs", 0, NULL) == 0, "second mount: %s", strerror(errno));
    CHECK(stat(file, &st) == -1 && errno == ENOENT, "the second hides the first");
    CHECK(umount(mnt) == 0 && stat(file, &st) == 0 && st.st_size == 10, "umount uncovers the first");
    CHECK(umount2(mnt, MNT_EXPIRE) == -1 && errno == EAGAIN, "MNT_EXPIRE marks: EAGAIN");
    CHECK(umount2(mnt, MNT_EXPIRE) == 0, "a second MNT_EXPIRE unmounts: %s", strerror(errno));

    /* noexec: a copy of this program there cannot run. */
    CHECK(mount("noexec", mnt, "tmpfs", MS_NOEXEC, NULL) == 0, "mount noexec");
    snprintf(line, sizeof line, "noexec %s tmpfs rw,noexec,relatime", mnt);
    CHECK(proc_has("mounts", line), "/proc/self/mounts has \"%s\"", line);
    CHECK(write_file(file, 100) == 0, "a file there");
    char *argv[] = {file, NULL};
    CHECK(execv(file, argv) == -1 && errno == EACCES, "exec on noexec is EACCES (%s)", strerror(errno));
    CHECK(umount(mnt) == 0, "umount noexec");

    /* A second proc. */
    CHECK(mount("proc", mnt, "proc", 0, NULL) == 0, "mount proc: %s", strerror(errno));
    char self[96];
    snprintf(self, sizeof self, "%s/self/stat", mnt);
    CHECK(statfs(mnt, &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC, "statfs: proc");
    CHECK((fd = open(self, O_RDONLY)) >= 0, "%s opens", self);
    close(fd);
    CHECK(umount(mnt) == 0, "umount proc: %s", strerror(errno));

    /* Errors. */
    CHECK(mount("x", mnt, "nosuchfs", 0, NULL) == -1 && errno == ENODEV, "unknown type: ENODEV");
    snprintf(line, sizeof line, "%s/missing", base);
    CHECK(mount("x", line, "tmpfs", 0, NULL) == -1 && errno == ENOENT, "missing target: ENOENT");
    snprintf(line, sizeof line, "%s/plain", base);
    write_file(line, 1);
    CHECK(mount("x", line, "tmpfs", 0, NULL) == -1 && errno == ENOTDIR, "a file as target: ENOTDIR");
    unlink(line);
    CHECK(mount("x", mnt, "tmpfs", 0, "colour=blue") == -1 && errno == EINVAL, "unknown option: EINVAL");
    CHECK(umount(mnt) == -1 && errno == EINVAL, "umount of no mount: EINVAL");
    CHECK(umount2(mnt, 0x100) == -1 && errno == EINVAL, "unknown umount2 flag: EINVAL");
    CHECK(mount(NULL, mnt, NULL, MS_REMOUNT, NULL) == -1 && errno == EINVAL, "remount of no mount: EINVAL");
    pid_t pid = fork();
    if (pid == 0) {
        if (setuid(1000) != 0) _exit(2);
        if (mount("x", "/tmp", "tmpfs", 0, NULL) != -1 || errno != EPERM) _exit(3);
        if (umount("/proc") != -1 || errno != EPERM) _exit(4);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a non-root caller gets EPERM (child %x)", status);

    rmdir(mnt);
    rmdir(base);
    if (failures) {
        printf("KTEST FAIL mount: %d failures\n", failures);
        return 1;
    }
    printf("mount: tmpfs size/mode/statfs/EXDEV/EBUSY/ro/noexec, detach, expire, stacked, proc, errors\n");
    printf("KTEST PASS mount\n");
    return 0;
}
