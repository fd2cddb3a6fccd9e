#define _GNU_SOURCE
#include "CRuntimeShims.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/xattr.h>
#include <unistd.h>

int orca_set_child_subreaper(void) {
    return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

int orca_malloc_single_arena(void) {
    return mallopt(M_ARENA_MAX, 1);
}

int orca_set_thread_name(const char *name) {
    return prctl(PR_SET_NAME, name, 0, 0, 0);
}

int orca_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[],
               int stdin_fd, int stdout_fd, int stderr_fd, const char *cwd, int setsid) {
    posix_spawnattr_t attr;
    posix_spawn_file_actions_t actions;
    int rc = posix_spawnattr_init(&attr);
    if (rc != 0) return rc;
    rc = posix_spawn_file_actions_init(&actions);
    if (rc != 0) { posix_spawnattr_destroy(&attr); return rc; }

    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    /* SIGKILL and SIGSTOP cannot be reset; glibc skips them. */
    short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    if (setsid) flags |= POSIX_SPAWN_SETSID;
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, flags);

    int fds[3] = {stdin_fd, stdout_fd, stderr_fd};
    for (int i = 0; i < 3; i++) {
        if (fds[i] < 0) {
            rc = posix_spawn_file_actions_addopen(&actions, i, "/dev/null", i == 0 ? O_RDONLY : O_WRONLY, 0);
        } else {
            /* glibc clears FD_CLOEXEC when fds[i] == i, as POSIX 2018 asks. */
            rc = posix_spawn_file_actions_adddup2(&actions, fds[i], i);
        }
        if (rc != 0) goto done;
    }
    if (cwd != NULL) {
        rc = posix_spawn_file_actions_addchdir_np(&actions, cwd);
        if (rc != 0) goto done;
    }
    /* Every other descriptor the parent has open stays out of the child. */
    rc = posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    if (rc != 0) goto done;
    rc = posix_spawn(pid, path, &actions, &attr, argv, envp);
done:
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    return rc;
}

int orca_memfd(const char *name) {
    return memfd_create(name, 0);
}

int orca_lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags) {
    return lsetxattr(path, name, value, size, flags);
}

long orca_lgetxattr(const char *path, const char *name, void *value, size_t size) {
    return (long)lgetxattr(path, name, value, size);
}

void orca_malloc_trim(void) {
    malloc_trim(0);
}
