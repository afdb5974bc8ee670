/* ktest-unix: AF_UNIX sockets as Linux has them: socket's errors, socketpair,
 * bind to a path (a socket inode, EADDRINUSE) and to abstract names, listen,
 * connect (ENOENT, ECONNREFUSED, EPROTOTYPE, a full backlog), accept and
 * accept4, stream and datagram data (boundaries, MSG_PEEK, MSG_DONTWAIT,
 * MSG_TRUNC, sendto a path, connected datagram sockets, EPERM), seqpacket,
 * sendmsg/recvmsg with iovecs, SCM_RIGHTS (MSG_CTRUNC, descriptors closed when
 * never received) and SCM_CREDENTIALS, shutdown (EOF, EPIPE and SIGPIPE,
 * MSG_NOSIGNAL), names, socket options, poll readiness and fstat. Each check
 * prints a line; it passes on Linux too. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK_NAME "unix"
#include "check.h"

static volatile sig_atomic_t sigpipes;

static void on_sigpipe(int sig) {
    (void)sig;
    sigpipes++;
}

/* A path address and its length. */
static socklen_t path_addr(struct sockaddr_un *a, const char *path) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    strcpy(a->sun_path, path);
    return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

/* An abstract address (the name after a NUL) and its length. */
static socklen_t abstract_addr(struct sockaddr_un *a, const char *name) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    memcpy(a->sun_path + 1, name, strlen(name));
    return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
}

static short revents(int fd, short events) {
    struct pollfd p = {.fd = fd, .events = events};
    return poll(&p, 1, 0) == 1 ? p.revents : 0;
}

static void creation(void) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(s >= 0 || errno == EAFNOSUPPORT, "AF_INET: a socket on Linux, EAFNOSUPPORT here");
    if (s >= 0) close(s);
    CHECK(fails_with(socket(AF_MAX, SOCK_STREAM, 0), EAFNOSUPPORT), "AF_MAX is EAFNOSUPPORT");
    CHECK(fails_with(socket(-1, SOCK_STREAM, 0), EAFNOSUPPORT), "a negative family is EAFNOSUPPORT");
    CHECK(fails_with(socket(AF_UNIX, 12, 0), EINVAL), "type past SOCK_PACKET is EINVAL");
    CHECK(fails_with(socket(AF_UNIX, SOCK_STREAM | 0x100000, 0), EINVAL), "unknown type flags are EINVAL");
    CHECK(fails_with(socket(AF_UNIX, SOCK_RDM, 0), ESOCKTNOSUPPORT), "SOCK_RDM is ESOCKTNOSUPPORT");
    CHECK(fails_with(socket(AF_UNIX, SOCK_STREAM, 7), EPROTONOSUPPORT), "protocol 7 is EPROTONOSUPPORT");
    s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    CHECK(s >= 0 && (fcntl(s, F_GETFL) & O_NONBLOCK) && (fcntl(s, F_GETFD) & FD_CLOEXEC), "SOCK_NONBLOCK and SOCK_CLOEXEC");
    struct stat st;
    CHECK(fstat(s, &st) == 0 && S_ISSOCK(st.st_mode), "fstat gives S_IFSOCK");
    int v = -1;
    socklen_t len = sizeof v;
    CHECK(getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len) == 0 && v == SOCK_STREAM && len == sizeof v, "SO_TYPE");
    CHECK(getsockopt(s, SOL_SOCKET, SO_DOMAIN, &v, &len) == 0 && v == AF_UNIX, "SO_DOMAIN");
    CHECK(getsockopt(s, SOL_SOCKET, SO_PROTOCOL, &v, &len) == 0 && v == 0, "SO_PROTOCOL");
    CHECK(getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, &v, &len) == 0 && v == 0, "SO_ACCEPTCONN before listen");
    CHECK(getsockopt(s, SOL_SOCKET, SO_ERROR, &v, &len) == 0 && v == 0, "SO_ERROR");
    CHECK(getsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, &len) == 0 && v >= 100000, "SO_SNDBUF %d", v);
    v = 10000;
    CHECK(setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof v) == 0, "set SO_SNDBUF");
    CHECK(getsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, &len) == 0 && v == 20000, "SO_SNDBUF doubled: %d", v);
    v = 1;
    CHECK(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, sizeof v) == 0, "SO_REUSEADDR accepted");
    CHECK(fails_with(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, 2), EINVAL), "a short option is EINVAL");
    CHECK(fails_with(getsockopt(s, SOL_SOCKET, 9999, &v, &len), ENOPROTOOPT), "unknown option ENOPROTOOPT");
    CHECK(fails_with(getsockopt(0, SOL_SOCKET, SO_TYPE, &v, &len), ENOTSOCK), "not a socket: ENOTSOCK");
    char c;
    CHECK(fails_with(read(s, &c, 1), EINVAL), "read of an unconnected stream socket is EINVAL");
    CHECK(fails_with(write(s, "x", 1), ENOTCONN), "write of an unconnected stream socket is ENOTCONN");
    CHECK((revents(s, POLLIN | POLLOUT) & (POLLHUP | POLLOUT)) == (POLLHUP | POLLOUT), "unconnected: POLLOUT|POLLHUP");
    close(s);
}

static void pairs(void) {
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
    CHECK(revents(sv[0], POLLIN | POLLOUT) == POLLOUT, "an idle pair is writable only");
    CHECK(write(sv[0], "hello", 5) == 5 && write(sv[0], " world", 6) == 6, "stream writes");
    CHECK(revents(sv[1], POLLIN) == POLLIN, "data: POLLIN");
    int n = 0;
    char buf[64] = {0};
    CHECK(recv(sv[1], buf, sizeof buf, MSG_PEEK) == 11 && memcmp(buf, "hello world", 11) == 0, "MSG_PEEK sees both writes");
    CHECK(read(sv[1], buf, 3) == 3 && memcmp(buf, "hel", 3) == 0, "a short read takes part");
    CHECK(read(sv[1], buf, sizeof buf) == 8 && memcmp(buf, "lo world", 8) == 0, "then the rest");
    CHECK(fails_with(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), EAGAIN), "MSG_DONTWAIT on empty: EAGAIN");
    struct ucred cred;
    socklen_t len = sizeof cred;
    CHECK(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 && cred.pid == getpid() && len == sizeof cred,
          "SO_PEERCRED of a pair is our pid");
    struct sockaddr_un a;
    len = sizeof a;
    CHECK(getpeername(sv[0], (struct sockaddr *)&a, &len) == 0 && len == sizeof(sa_family_t), "unnamed peer: length 2");
    /* Vectors both ways. */
    struct iovec out[2] = {{"ab", 2}, {"cde", 3}};
    struct msghdr m = {.msg_iov = out, .msg_iovlen = 2};
    CHECK(sendmsg(sv[0], &m, 0) == 5, "sendmsg with two iovecs");
    char x[2], y[8];
    struct iovec in[2] = {{x, 2}, {y, 8}};
    struct msghdr r = {.msg_iov = in, .msg_iovlen = 2};
    CHECK(recvmsg(sv[1], &r, 0) == 5 && memcmp(x, "ab", 2) == 0 && memcmp(y, "cde", 3) == 0, "recvmsg scatters");
    /* Shutdown. */
    CHECK(shutdown(sv[0], SHUT_WR) == 0, "shutdown(SHUT_WR)");
    CHECK(read(sv[1], buf, sizeof buf) == 0, "the peer reads EOF");
    CHECK((revents(sv[1], POLLIN | POLLRDHUP) & (POLLIN | POLLRDHUP)) == (POLLIN | POLLRDHUP), "POLLRDHUP after SHUT_WR");
    CHECK(fails_with(send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE) && sigpipes == 0, "send after SHUT_WR: EPIPE, no signal with MSG_NOSIGNAL");
    CHECK(fails_with(write(sv[0], "x", 1), EPIPE) && sigpipes == 1, "write after SHUT_WR: EPIPE and SIGPIPE");
    CHECK(fails_with(shutdown(sv[0], 3), EINVAL), "shutdown(3) is EINVAL");
    close(sv[1]);
    CHECK(revents(sv[0], POLLIN) & POLLHUP, "peer closed: POLLHUP");
    CHECK(read(sv[0], buf, sizeof buf) == 0, "peer closed: EOF");
    close(sv[0]);

    /* Unread data at close resets the peer. */
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0 && write(sv[0], "x", 1) == 1, "a pair with data");
    close(sv[1]);
    CHECK(fails_with(read(sv[0], buf, 1), ECONNRESET), "closing with data unread: ECONNRESET");
    CHECK(read(sv[0], buf, 1) == 0, "then EOF");
    close(sv[0]);

    /* Filling a stream: nonblocking writes stop with EAGAIN. */
    CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) == 0, "a nonblocking pair");
    static char big[65536];
    long total = 0, w;
    while ((w = write(sv[0], big, sizeof big)) > 0) total += w;
    CHECK(w == -1 && errno == EAGAIN && total > 50000 && total < 2000000, "filled with %ld bytes, then EAGAIN", total);
    CHECK(!(revents(sv[0], POLLOUT) & POLLOUT), "full: not writable");
    CHECK(ioctl(sv[1], FIONREAD, &n) == 0 && n == total, "FIONREAD %d", n);
    long got = 0, rd;
    while ((rd = read(sv[1], big, sizeof big)) > 0) got += rd;
    CHECK(got == total && revents(sv[0], POLLOUT) == POLLOUT, "drained, writable again");
    close(sv[0]);
    close(sv[1]);

    /* Datagram pairs keep boundaries. */
    CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0, "datagram socketpair");
    CHECK(send(sv[0], "one", 3, 0) == 3 && send(sv[0], "", 0, 0) == 0 && send(sv[0], "three!", 6, 0) == 6, "three datagrams");
    CHECK(recv(sv[1], buf, sizeof buf, 0) == 3, "first datagram whole");
    CHECK(recv(sv[1], buf, sizeof buf, 0) == 0, "an empty datagram");
    CHECK(recv(sv[1], buf, 2, MSG_TRUNC) == 6 && memcmp(buf, "th", 2) == 0, "MSG_TRUNC gives the real length");
    CHECK(send(sv[0], "abcdef", 6, 0) == 6, "another");
    r = (struct msghdr){.msg_iov = in, .msg_iovlen = 1};
    in[0] = (struct iovec){buf, 4};
    CHECK(recvmsg(sv[1], &r, 0) == 4 && (r.msg_flags & MSG_TRUNC), "a cut datagram sets MSG_TRUNC");
    CHECK(fails_with(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), EAGAIN), "and the rest is gone");
    close(sv[0]);
    close(sv[1]);

    /* Seqpacket keeps boundaries on a connection. */
    CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0, "seqpacket socketpair");
    CHECK(write(sv[0], "ab", 2) == 2 && write(sv[0], "cd", 2) == 2, "two records");
    CHECK(read(sv[1], buf, sizeof buf) == 2 && read(sv[1], buf, sizeof buf) == 2, "read one at a time");
    close(sv[0]);
    CHECK(read(sv[1], buf, sizeof buf) == 0, "seqpacket EOF");
    close(sv[1]);
}

static void paths(void) {
    struct sockaddr_un a, b;
    unlink("/tmp/ktest-unix.sock");
    socklen_t len = path_addr(&a, "/tmp/ktest-unix.sock");
    int client = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(fails_with(connect(client, (struct sockaddr *)&a, len), ENOENT), "connect to a missing path: ENOENT");
    int server = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(fails_with(listen(server, 5), EINVAL), "listen unbound: EINVAL");
    CHECK(bind(server, (struct sockaddr *)&a, len) == 0, "bind to a path");
    struct stat st;
    CHECK(stat("/tmp/ktest-unix.sock", &st) == 0 && S_ISSOCK(st.st_mode), "the path is a socket inode");
    CHECK(fails_with(open("/tmp/ktest-unix.sock", O_RDWR), ENXIO), "opening it is ENXIO");
    CHECK(fails_with(bind(server, (struct sockaddr *)&a, len), EADDRINUSE), "binding again to the same path: EADDRINUSE");
    socklen_t blen2 = path_addr(&b, "/tmp/ktest-unix.other");
    CHECK(fails_with(bind(server, (struct sockaddr *)&b, blen2), EINVAL), "binding twice: EINVAL");
    CHECK(access("/tmp/ktest-unix.other", F_OK) == -1, "and the second path is not left behind");
    int other = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(fails_with(bind(other, (struct sockaddr *)&a, len), EADDRINUSE), "the path taken: EADDRINUSE");
    CHECK(fails_with(connect(client, (struct sockaddr *)&a, len), ECONNREFUSED), "bound, not listening: ECONNREFUSED");
    int dgram = socket(AF_UNIX, SOCK_DGRAM, 0);
    CHECK(fails_with(connect(dgram, (struct sockaddr *)&a, len), EPROTOTYPE), "a datagram socket to a stream: EPROTOTYPE");
    close(dgram);
    CHECK(listen(server, 0) == 0, "listen(0)");
    int v;
    socklen_t vl = sizeof v;
    CHECK(getsockopt(server, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl) == 0 && v == 1, "SO_ACCEPTCONN");
    CHECK(revents(server, POLLIN | POLLOUT) == 0, "a listener with nothing pending is not ready");
    CHECK(connect(client, (struct sockaddr *)&a, len) == 0, "connect");
    CHECK(revents(server, POLLIN) == POLLIN, "a pending connection: POLLIN");
    CHECK(write(client, "early", 5) == 5, "the client writes before accept");
    int second = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    CHECK(fails_with(connect(second, (struct sockaddr *)&a, len), EAGAIN), "a full backlog, nonblocking: EAGAIN");
    socklen_t bl = sizeof b;
    int conn = accept4(server, (struct sockaddr *)&b, &bl, SOCK_CLOEXEC);
    CHECK(conn >= 0 && bl == sizeof(sa_family_t) && (fcntl(conn, F_GETFD) & FD_CLOEXEC), "accept4: an unnamed client, SOCK_CLOEXEC");
    char buf[32] = {0};
    CHECK(read(conn, buf, sizeof buf) == 5 && memcmp(buf, "early", 5) == 0, "data sent before accept arrives");
    fcntl(server, F_SETFL, fcntl(server, F_GETFL) | O_NONBLOCK);
    CHECK(fails_with(connect(client, (struct sockaddr *)&a, len), EISCONN), "connect again: EISCONN");
    bl = sizeof b;
    CHECK(getsockname(conn, (struct sockaddr *)&b, &bl) == 0 && bl == len && strcmp(b.sun_path, a.sun_path) == 0,
          "the accepted socket has the listener's name");
    bl = sizeof b;
    CHECK(getpeername(client, (struct sockaddr *)&b, &bl) == 0 && strcmp(b.sun_path, a.sun_path) == 0, "the client's peer is the path");
    struct ucred cred;
    socklen_t cl = sizeof cred;
    CHECK(getsockopt(client, SOL_SOCKET, SO_PEERCRED, &cred, &cl) == 0 && cred.pid == getpid(), "SO_PEERCRED at connect");
    CHECK(fails_with(accept(server, NULL, NULL), EAGAIN), "nothing pending, nonblocking: EAGAIN");
    close(second);
    close(conn);
    close(client);
    close(server);
    CHECK(stat("/tmp/ktest-unix.sock", &st) == 0, "the inode stays after close");
    client = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(fails_with(connect(client, (struct sockaddr *)&a, len), ECONNREFUSED), "its socket gone: ECONNREFUSED");
    CHECK(unlink("/tmp/ktest-unix.sock") == 0, "unlink the socket name");
    close(client);
    close(other);

    /* A blocked connect goes on once the listener accepts. */
    server = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(bind(server, (struct sockaddr *)&a, len) == 0 && listen(server, 0) == 0, "a listener with backlog 0");
    int c1 = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(connect(c1, (struct sockaddr *)&a, len) == 0, "backlog 0 admits one");
    pid_t child = fork();
    if (child == 0) {
        usleep(100000);
        for (int i = 0; i < 2; i++) close(accept(server, NULL, NULL));
        _exit(0);
    }
    int c3 = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(connect(c3, (struct sockaddr *)&a, len) == 0, "a connect waits for room, then succeeds");
    int status;
    waitpid(child, &status, 0);
    int c4 = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(connect(c4, (struct sockaddr *)&a, len) == 0, "accepted connections closed, the listener still takes more");
    close(c4);
    close(c1);
    close(c3);
    close(server);
    unlink("/tmp/ktest-unix.sock");
}

static void datagrams(void) {
    struct sockaddr_un a, b, from;
    unlink("/tmp/ktest-unix.dgram");
    socklen_t len = path_addr(&a, "/tmp/ktest-unix.dgram");
    int receiver = socket(AF_UNIX, SOCK_DGRAM, 0);
    CHECK(bind(receiver, (struct sockaddr *)&a, len) == 0, "bind a datagram socket");
    int sender = socket(AF_UNIX, SOCK_DGRAM, 0);
    socklen_t blen = abstract_addr(&b, "ktest-unix-sender");
    CHECK(bind(sender, (struct sockaddr *)&b, blen) == 0, "bind to an abstract name");
    int dup = socket(AF_UNIX, SOCK_DGRAM, 0);
    CHECK(fails_with(bind(dup, (struct sockaddr *)&b, blen), EADDRINUSE), "the abstract name taken: EADDRINUSE");
    CHECK(fails_with(send(sender, "x", 1, 0), ENOTCONN), "send without a destination: ENOTCONN");
    CHECK(sendto(sender, "to a path", 9, 0, (struct sockaddr *)&a, len) == 9, "sendto a bound path");
    char buf[64];
    socklen_t fl = sizeof from;
    CHECK(recvfrom(receiver, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl) == 9 && fl == blen &&
              memcmp(&from, &b, blen) == 0,
          "recvfrom gives the abstract sender");
    CHECK(sendto(dup, "anon", 4, 0, (struct sockaddr *)&a, len) == 4, "an unnamed sender");
    fl = sizeof from;
    CHECK(recvfrom(receiver, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl) == 4 && fl == 0, "its address has length 0");
    CHECK(connect(sender, (struct sockaddr *)&a, len) == 0 && send(sender, "connected", 9, 0) == 9, "a connected datagram socket");
    CHECK(recv(receiver, buf, sizeof buf, 0) == 9, "receives");
    CHECK(connect(receiver, (struct sockaddr *)&b, blen) == 0, "the receiver connects to the sender");
    CHECK(fails_with(sendto(dup, "no", 2, 0, (struct sockaddr *)&a, len), EPERM), "a socket connected elsewhere refuses: EPERM");
    struct sockaddr unspec = {.sa_family = AF_UNSPEC};
    CHECK(connect(receiver, &unspec, sizeof unspec) == 0, "AF_UNSPEC disconnects");
    CHECK(sendto(dup, "ok", 2, 0, (struct sockaddr *)&a, len) == 2, "then it takes datagrams again");
    CHECK(recv(receiver, buf, sizeof buf, 0) == 2, "received");
    int v = 4608;
    setsockopt(sender, SOL_SOCKET, SO_SNDBUF, &v, sizeof v);
    static char big[20000];
    CHECK(fails_with(send(sender, big, sizeof big, 0), EMSGSIZE), "a datagram past SO_SNDBUF: EMSGSIZE");
    close(receiver);
    CHECK(fails_with(send(sender, "x", 1, 0), ECONNREFUSED), "its peer closed: ECONNREFUSED");
    close(sender);
    close(dup);
    unlink("/tmp/ktest-unix.dgram");

    int s = socket(AF_UNIX, SOCK_DGRAM, 0);
    socklen_t alen = sizeof a;
    CHECK(bind(s, (struct sockaddr *)&a, sizeof(sa_family_t)) == 0 &&
              getsockname(s, (struct sockaddr *)&a, &alen) == 0 && alen == 8 && a.sun_path[0] == 0,
          "bind with the family alone picks an abstract name of 5 hex digits");
    close(s);
}

static void rights(void) {
    int sv[2], pipefd[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0 && pipe(pipefd) == 0, "a pair and a pipe");
    char data = 'r';
    struct iovec iov = {&data, 1};
    union {
        char buf[CMSG_SPACE(2 * sizeof(int))];
        struct cmsghdr align;
    } control;
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf};
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(2 * sizeof(int));
    memcpy(CMSG_DATA(c), pipefd, 2 * sizeof(int));
    CHECK(sendmsg(sv[0], &m, 0) == 1, "send two descriptors");
    int bad = 9999;
    memcpy(CMSG_DATA(c), &bad, sizeof bad);
    CHECK(fails_with(sendmsg(sv[0], &m, 0), EBADF), "a closed descriptor: EBADF");
    close(pipefd[0]);
    close(pipefd[1]);
    union {
        char buf[CMSG_SPACE(sizeof(int) * 4)];
        struct cmsghdr align;
    } in;
    char got;
    struct iovec riov = {&got, 1};
    struct msghdr r = {.msg_iov = &riov, .msg_iovlen = 1, .msg_control = in.buf, .msg_controllen = sizeof in.buf};
    CHECK(recvmsg(sv[1], &r, MSG_CMSG_CLOEXEC) == 1 && got == 'r', "receive the data");
    c = CMSG_FIRSTHDR(&r);
    int fds[2] = {-1, -1};
    CHECK(c && c->cmsg_type == SCM_RIGHTS && c->cmsg_len == CMSG_LEN(2 * sizeof(int)) && !(r.msg_flags & MSG_CTRUNC),
          "an SCM_RIGHTS message with two descriptors");
    if (c) memcpy(fds, CMSG_DATA(c), sizeof fds);
    CHECK((fcntl(fds[0], F_GETFD) & FD_CLOEXEC) != 0, "MSG_CMSG_CLOEXEC marks them");
    CHECK(write(fds[1], "p", 1) == 1 && read(fds[0], &got, 1) == 1 && got == 'p', "the passed pipe works");
    close(fds[0]);
    close(fds[1]);

    /* Too little room: MSG_CTRUNC, and the rest are closed. */
    CHECK(pipe(pipefd) == 0, "another pipe");
    m.msg_controllen = sizeof control.buf;
    c = CMSG_FIRSTHDR(&m);
    c->cmsg_len = CMSG_LEN(2 * sizeof(int));
    memcpy(CMSG_DATA(c), pipefd, 2 * sizeof(int));
    CHECK(sendmsg(sv[0], &m, 0) == 1, "send both ends");
    close(pipefd[0]);
    close(pipefd[1]);
    r.msg_controllen = CMSG_LEN(sizeof(int)); /* room for one */
    CHECK(recvmsg(sv[1], &r, 0) == 1 && (r.msg_flags & MSG_CTRUNC), "room for one: MSG_CTRUNC");
    c = CMSG_FIRSTHDR(&r);
    int read_end = -1;
    if (c) memcpy(&read_end, CMSG_DATA(c), sizeof read_end);
    CHECK(read_end >= 0 && read(read_end, &got, 1) == 0, "the write end was closed: the read end sees EOF");
    close(read_end);

    /* Never received: closed with the socket. */
    CHECK(pipe(pipefd) == 0, "a third pipe");
    memcpy(CMSG_DATA(CMSG_FIRSTHDR(&m)), pipefd, 2 * sizeof(int));
    CMSG_FIRSTHDR(&m)->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(CMSG_FIRSTHDR(&m)), &pipefd[1], sizeof(int));
    m.msg_controllen = CMSG_SPACE(sizeof(int));
    CHECK(sendmsg(sv[0], &m, 0) == 1, "send the write end");
    close(pipefd[1]);
    close(sv[1]);
    CHECK(read(pipefd[0], &got, 1) == 0, "the receiver closed unread: the write end closed too");
    close(pipefd[0]);
    close(sv[0]);
}

static void credentials(void) {
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0, "a datagram pair");
    int on = 1;
    CHECK(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on) == 0, "SO_PASSCRED");
    CHECK(send(sv[0], "c", 1, 0) == 1, "send");
    union {
        char buf[CMSG_SPACE(sizeof(struct ucred))];
        struct cmsghdr align;
    } in;
    char got;
    struct iovec iov = {&got, 1};
    struct msghdr r = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = in.buf, .msg_controllen = sizeof in.buf};
    CHECK(recvmsg(sv[1], &r, 0) == 1, "receive");
    struct cmsghdr *c = CMSG_FIRSTHDR(&r);
    struct ucred cred = {0};
    if (c) memcpy(&cred, CMSG_DATA(c), sizeof cred);
    CHECK(c && c->cmsg_type == SCM_CREDENTIALS && cred.pid == getpid() && cred.uid == getuid(), "SCM_CREDENTIALS: our pid and uid");
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = in.buf, .msg_controllen = sizeof in.buf};
    c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_CREDENTIALS;
    c->cmsg_len = CMSG_LEN(sizeof cred);
    cred = (struct ucred){.pid = getpid(), .uid = getuid(), .gid = getgid()};
    memcpy(CMSG_DATA(c), &cred, sizeof cred);
    CHECK(sendmsg(sv[0], &m, 0) == 1, "send explicit credentials");
    c->cmsg_len = CMSG_LEN(4);
    CHECK(fails_with(sendmsg(sv[0], &m, 0), EINVAL), "credentials of the wrong size: EINVAL");
    r.msg_controllen = sizeof in.buf;
    CHECK(recvmsg(sv[1], &r, 0) == 1 && CMSG_FIRSTHDR(&r) && CMSG_FIRSTHDR(&r)->cmsg_type == SCM_CREDENTIALS, "received");
    close(sv[0]);
    close(sv[1]);
}

static void blocking(void) {
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "a pair for a blocked reader");
    pid_t child = fork();
    if (child == 0) {
        usleep(50000);
        write(sv[1], "late", 4);
        _exit(0);
    }
    char buf[8];
    CHECK(recv(sv[0], buf, 4, MSG_WAITALL) == 4 && memcmp(buf, "late", 4) == 0, "a blocked read wakes with the data");
    struct pollfd p = {.fd = sv[0], .events = POLLIN};
    int status;
    waitpid(child, &status, 0);
    close(sv[1]);
    CHECK(poll(&p, 1, 1000) == 1 && (p.revents & POLLHUP), "poll wakes for the hang-up");
    close(sv[0]);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, on_sigpipe);
    creation();
    pairs();
    paths();
    datagrams();
    rights();
    credentials();
    blocking();
    if (failures) {
        printf("KTEST FAIL unix: %d failures\n", failures);
        return 1;
    }
    printf("KTEST PASS unix\n");
    return 0;
}
