/*
 * Kernel error codes: functions return 0 or a negative code from this list
 * (numbers follow Linux/POSIX so messages and WASI mapping stay familiar).
 */
#ifndef KERNEL_ERR_H
#define KERNEL_ERR_H

#define EPERM	     1
#define ENOENT	     2
#define EIO	     5
#define E2BIG	     7
#define ENOEXEC	     8
#define EBADF	     9
#define EAGAIN	     11
#define ENOMEM	     12
#define EFAULT	     14
#define EBUSY	     16
#define EEXIST	     17
#define EXDEV	     18
#define ENODEV	     19
#define ENOTDIR	     20
#define EISDIR	     21
#define EINVAL	     22
#define EMFILE	     24
#define EFBIG	     27
#define ENOSPC	     28
#define EROFS	     30
#define ERANGE	     34
#define EDEADLK	     35
#define ENAMETOOLONG 36
#define ENOSYS	     38
#define ENOTEMPTY    39
#define ELOOP	     40
#define ETIMEDOUT    110

/* Short name of an error code ("ENOMEM"), for messages. */
const char *err_name(int err);

#endif
