/*
 * tools/wasmrun/host_fs.h: host directories as WASI preopens (host_fs.c).
 */
#ifndef HOST_FS_H
#define HOST_FS_H

#include <stdbool.h>

#include <vm/wasi.h>

/* Preopen host directory `host` under the guest name `guest`, after those
 * added before: 0, or -ENFILE past 16, or -ENOENT, -ENOTDIR... when `host`
 * is no directory. The strings must outlive the run. */
int host_fs_add(const char *host, const char *guest);
/* Has a preopen of that guest name been added? */
bool host_fs_has(const char *guest);

extern const struct vm_wasi_fs_ops host_fs_ops;

#endif
