#include <lib/compiler.h>
#include <lib/err.h>

static const struct {
	int code;
	const char *name;
} err_names[] = {
	{EPERM, "EPERM"},
	{ENOENT, "ENOENT"},
	{EIO, "EIO"},
	{E2BIG, "E2BIG"},
	{ENOEXEC, "ENOEXEC"},
	{EBADF, "EBADF"},
	{EAGAIN, "EAGAIN"},
	{ENOMEM, "ENOMEM"},
	{EFAULT, "EFAULT"},
	{EBUSY, "EBUSY"},
	{EEXIST, "EEXIST"},
	{EXDEV, "EXDEV"},
	{ENODEV, "ENODEV"},
	{ENOTDIR, "ENOTDIR"},
	{EISDIR, "EISDIR"},
	{EINVAL, "EINVAL"},
	{EMFILE, "EMFILE"},
	{EFBIG, "EFBIG"},
	{ENOSPC, "ENOSPC"},
	{EROFS, "EROFS"},
	{ERANGE, "ERANGE"},
	{EDEADLK, "EDEADLK"},
	{ENAMETOOLONG, "ENAMETOOLONG"},
	{ENOSYS, "ENOSYS"},
	{ENOTEMPTY, "ENOTEMPTY"},
	{ELOOP, "ELOOP"},
	{ETIMEDOUT, "ETIMEDOUT"},
};

const char *err_name(int err)
{
	if (err < 0)
		err = -err;
	for (unsigned i = 0; i < ARRAY_SIZE(err_names); i++) {
		if (err_names[i].code == err)
			return err_names[i].name;
	}
	return "E?";
}
