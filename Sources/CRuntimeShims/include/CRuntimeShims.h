#ifndef ORCA_RUNTIME_SHIMS_H
#define ORCA_RUNTIME_SHIMS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/// prctl(PR_SET_CHILD_SUBREAPER, 1): orphaned descendants (a container's init once
/// `runc create` exits) are re-parented to this process, so its reaper sees their exits.
/// prctl is variadic, which Swift cannot call directly. Returns 0 or -1 with errno set.
int orca_set_child_subreaper(void);

/// prctl(PR_SET_NAME, name): names the calling thread (at most 15 bytes are kept), as
/// `ps -L` and /proc/PID/task/TID/comm show it. Returns 0 or -1 with errno set.
int orca_set_thread_name(const char *name);

/// posix_spawn with every signal unblocked and reset to its default disposition in the
/// child: Swift's and Dispatch's threads block SIGTERM and SIGCHLD, and a blocked mask
/// is inherited across exec, so a plain spawn makes children that ignore SIGTERM.
/// `fds` holds stdin, stdout, stderr for the child (-1 = /dev/null). `setsid` puts the
/// child in its own session (no terminal signals from ours).
int orca_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[],
               int stdin_fd, int stdout_fd, int stderr_fd, const char *cwd, int setsid);

/// memfd_create(name, 0): glibc declares it only under _GNU_SOURCE, which Swift's Glibc module lacks.
int orca_memfd(const char *name);

/// lsetxattr / lgetxattr: <sys/xattr.h> is not in Swift's Glibc module.
int orca_lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags);
long orca_lgetxattr(const char *path, const char *name, void *value, size_t size);

/// mallopt(M_ARENA_MAX, 1): every thread allocates from the main arena (<malloc.h> is not in
/// Swift's Glibc module). Returns 1 on success.
int orca_malloc_single_arena(void);

/// malloc_trim(0): gives free memory at the top of the heap back to the kernel.
void orca_malloc_trim(void);

/// SHA-256's 64 round constants K (FIPS 180-4 4.2.2), for this code and the portable Swift one.
extern const uint32_t orca_sha256_k[64];

/// Whether the CPU has the x86 SHA extensions (and SSSE3, SSE4.1) that ``orca_sha256_blocks`` uses.
int orca_sha256_hardware(void);

/// SHA-256's compression function (FIPS 180-4 6.2.2) over `blocks` whole 64-byte blocks at
/// `data`, with the x86 SHA extensions; `state` is H0..H7. Call only when ``orca_sha256_hardware``
/// says 1.
void orca_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
