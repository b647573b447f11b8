#include <libpq-fe.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

/// A body for CShim's `cshim_fork_call`: sends the cancel request of `token` (a PGcancel *) with
/// PQcancel, which connects to the postmaster and waits for it to close the connection, without any
/// timeout; run in a child the parent can kill, it cannot hold up the action. Writes "ok\n" or
/// "e <libpq's message>\n" to `fd`.
static inline void pgsql_swift_cancel_body(void *token, int fd) {
    char line[264] = "e ";
    size_t length;
    if (PQcancel((PGcancel *)token, line + 2, (int)sizeof line - 3)) {
        strcpy(line, "ok\n");
        length = 3;
    } else {
        length = strlen(line);
        line[length++] = '\n';
    }
    const char *next = line;
    while (length > 0) {
        ssize_t n = write(fd, next, length);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        next += n;
        length -= (size_t)n;
    }
}
