#define _GNU_SOURCE
#include "cshim.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/wait.h>
#include <unistd.h>

static void child_fail(int errpipe, int err) {
    ssize_t ignored = write(errpipe, &err, sizeof err);
    (void)ignored;
    _exit(127);
}

static int move_to(int fd, int target, int devnull) {
    int source = fd < 0 ? devnull : fd;
    if (source == target) {
        int flags = fcntl(target, F_GETFD);
        return flags < 0 ? -1 : fcntl(target, F_SETFD, flags & ~FD_CLOEXEC);
    }
    return dup2(source, target) < 0 ? -1 : 0;
}

int cshim_spawn(const cshim_spawn_request *r, pid_t *pid_out) {
    int errpipe[2];
    if (pipe2(errpipe, O_CLOEXEC) != 0) return errno;

    int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (devnull < 0) {
        int err = errno;
        close(errpipe[0]);
        close(errpipe[1]);
        return err;
    }

    /* The agent is single-threaded, so fork() followed by set*id() in the child is safe. */
    pid_t pid = fork();
    if (pid < 0) {
        int err = errno;
        close(errpipe[0]);
        close(errpipe[1]);
        close(devnull);
        return err;
    }
    if (pid == 0) {
        sigset_t all;
        sigemptyset(&all);
        sigprocmask(SIG_SETMASK, &all, NULL);
        for (int s = 1; s < NSIG; s++) signal(s, SIG_DFL);

        if (setsid() < 0) child_fail(errpipe[1], errno);
        /* The error pipe must not be one of 0..2 when we dup2 over them. */
        int errfd = errpipe[1];
        if (errfd <= 2) {
            errfd = fcntl(errfd, F_DUPFD_CLOEXEC, 3);
            if (errfd < 0) _exit(127);
        }
        if (move_to(r->stdin_fd, 0, devnull) != 0) child_fail(errfd, errno);
        if (move_to(r->stdout_fd, 1, devnull) != 0) child_fail(errfd, errno);
        if (move_to(r->stderr_fd, 2, devnull) != 0) child_fail(errfd, errno);

        if (r->change_user) {
            if (setgroups((size_t)r->ngroups, r->groups) != 0) child_fail(errfd, errno);
            if (setgid(r->gid) != 0) child_fail(errfd, errno);
            if (setuid(r->uid) != 0) child_fail(errfd, errno);
        }
        if (r->cwd != NULL && chdir(r->cwd) != 0) child_fail(errfd, errno);

        /* Close everything else but the error pipe (close-on-exec, so it closes at exec). */
        if (errfd > 3) close_range(3, (unsigned)errfd - 1, 0);
        close_range((unsigned)errfd + 1, ~0U, 0);

        execve(r->path, r->argv, r->envp);
        child_fail(errfd, errno);
    }

    close(errpipe[1]);
    close(devnull);
    int child_err = 0;
    ssize_t n;
    do {
        n = read(errpipe[0], &child_err, sizeof child_err);
    } while (n < 0 && errno == EINTR);
    close(errpipe[0]);
    if (n == (ssize_t)sizeof child_err) {
        /* exec failed: reap the child so no zombie is left behind. */
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        return child_err;
    }
    *pid_out = pid;
    return 0;
}

int cshim_pipe(int fds[2]) {
    if (pipe2(fds, O_CLOEXEC) != 0) return errno;
    /* Only the parent's read end is non-blocking: the child must see a normal blocking stdout. */
    int flags = fcntl(fds[0], F_GETFL);
    if (flags < 0 || fcntl(fds[0], F_SETFL, flags | O_NONBLOCK) != 0) {
        int err = errno;
        close(fds[0]);
        close(fds[1]);
        return err;
    }
    return 0;
}

int cshim_fork_call(void (*body)(void *context, int fd), void *context, pid_t *pid_out, int *read_fd) {
    int fds[2];
    int err = cshim_pipe(fds);
    if (err != 0) return err;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        err = errno;
        close(fds[0]);
        close(fds[1]);
        return err;
    }
    if (pid == 0) {
        /* Die with the parent: the child must never outlive the action that started it. */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) _exit(1);
        sigset_t all;
        sigemptyset(&all);
        sigprocmask(SIG_SETMASK, &all, NULL);
        for (int s = 1; s < NSIG; s++) {
            if (s != SIGKILL && s != SIGSTOP) signal(s, SIG_DFL);
        }
        close(fds[0]);
        int devnull = open("/dev/null", O_RDWR);
        if (devnull >= 0) {
            for (int target = 0; target <= 2; target++) {
                if (devnull != target && fds[1] != target) dup2(devnull, target);
            }
            if (devnull > 2) close(devnull);
        }
        body(context, fds[1]);
        _exit(0);
    }
    close(fds[1]);
    *pid_out = pid;
    *read_fd = fds[0];
    return 0;
}

static void write_all(int fd, const char *text, size_t length) {
    while (length > 0) {
        ssize_t n = write(fd, text, length);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        text += n;
        length -= (size_t)n;
    }
}

void cshim_resolve_hosts(void *context, int fd) {
    char **names = (char **)context;
    for (; *names != NULL; names++) {
        struct addrinfo hints;
        memset(&hints, 0, sizeof hints);
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        struct addrinfo *list = NULL;
        int rc = getaddrinfo(*names, NULL, &hints, &list);
        char line[NI_MAXHOST + 8];
        if (rc != 0) {
            int n = snprintf(line, sizeof line, "e %s\n", gai_strerror(rc));
            if (n > 0) write_all(fd, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
        } else {
            for (struct addrinfo *entry = list; entry != NULL; entry = entry->ai_next) {
                char host[NI_MAXHOST];
                if (getnameinfo(entry->ai_addr, entry->ai_addrlen, host, sizeof host, NULL, 0, NI_NUMERICHOST) != 0)
                    continue;
                int n = snprintf(line, sizeof line, "a %s\n", host);
                if (n > 0) write_all(fd, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
            }
            freeaddrinfo(list);
        }
        write_all(fd, ".\n", 2);
    }
}

void cshim_syslog(int priority, const char *message) {
    syslog(priority, "%s", message);
}

void cshim_openlog(const char *ident, int facility) {
    static char *kept = NULL;
    free(kept);
    kept = strdup(ident);
    openlog(kept, LOG_PID | LOG_NDELAY, facility);
}
