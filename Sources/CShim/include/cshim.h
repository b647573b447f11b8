#ifndef PGSQL_SWIFT_CSHIM_H
#define PGSQL_SWIFT_CSHIM_H

#include <sys/types.h>

/// What a child process gets: a fresh session, the given stdio, every other descriptor closed,
/// default signal handling, and (when change_user is set) the given uid, gid and groups.
typedef struct {
    const char *path;
    char *const *argv;
    char *const *envp;
    const char *cwd;          /* NULL: inherit */
    int stdin_fd;             /* -1: /dev/null */
    int stdout_fd;            /* -1: /dev/null */
    int stderr_fd;            /* -1: /dev/null */
    int change_user;
    uid_t uid;
    gid_t gid;
    const gid_t *groups;
    int ngroups;
} cshim_spawn_request;

/// Forks and execs. Returns 0 and the child's pid, or the errno of the step that failed
/// (in the parent or, reported through a close-on-exec pipe, in the child before exec).
int cshim_spawn(const cshim_spawn_request *request, pid_t *pid_out);

/// Creates a close-on-exec pipe whose read end (fds[0]) is non-blocking.
int cshim_pipe(int fds[2]);

/// Forks a child that runs `body(context, fd)` and then exits, for a library call that may block without
/// a timeout (name resolution, libpq's PQcancel): the parent bounds it by polling `*read_fd` and kills
/// the child when its deadline passes. `fd` is the write end of a pipe whose read end (non-blocking,
/// close-on-exec) is returned in `*read_fd`. The child's stdio is /dev/null, its signals are the
/// defaults, and it is killed if the parent dies first. Returns 0, or the errno of the failed step.
/// `body` must only make async-signal-safe or otherwise fork-safe calls (the child is single-threaded).
int cshim_fork_call(void (*body)(void *context, int fd), void *context, pid_t *pid_out, int *read_fd);

/// A `cshim_fork_call` body: resolves each name of the NULL-terminated array `context` (char **) with
/// getaddrinfo(3) (any family, stream sockets, like libpq) and writes, per name and in order, one line
/// "a <numeric address>" per address, or one line "e <gai_strerror text>", then a line ".".
void cshim_resolve_hosts(void *context, int fd);

/// syslog(3) with a fixed "%s" format (syslog itself is variadic and not imported into Swift).
void cshim_syslog(int priority, const char *message);

/// openlog(3) that keeps its own copy of the ident string.
void cshim_openlog(const char *ident, int facility);

#endif
