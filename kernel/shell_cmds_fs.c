/*
 * The shell's file commands: mount, umount, sync, cat, and `ls PATH`
 * (plain `ls`, the ramdisk's flat list, is in shell_cmds_program.c).
 * Every VFS call runs under storage_lock().
 */
#include <fs/vfs.h>
#include <kernel/shell.h>
#include <kernel/storage.h>
#include <lib/err.h>
#include <lib/printf.h>
#include <string.h>

static int cmd_mount(int argc, char **argv)
{
	if (argc == 1) {
		const char *path, *kind;
		storage_lock();
		for (unsigned i = 0; vfs_mount_at(i, &path, &kind) == 1; i++)
			shell_printf("%-8s %s\n", kind, path);
		storage_unlock();
		return 0;
	}
	if (argc != 3)
		return shell_usage(argv[0], "takes a device and a path, got",
				   argv[1]);
	int rc = storage_mount(argv[1], argv[2]);
	if (rc < 0)
		shell_printf("mount: %s\n", err_name(rc));
	return rc < 0 ? 1 : 0;
}

static int cmd_umount(int argc, char **argv)
{
	if (argc != 2)
		return shell_usage(argv[0], "takes one path, got",
				   argc > 2 ? argv[2] : "nothing");
	storage_lock();
	int rc = vfs_umount(argv[1]);
	storage_unlock();
	if (rc < 0)
		shell_printf("umount: %s: %s\n", argv[1], err_name(rc));
	return rc < 0 ? 1 : 0;
}

static int cmd_sync(int argc, char **argv)
{
	if (argc > 1)
		return shell_usage(argv[0], "takes no arguments, got", argv[1]);
	return storage_sync() < 0 ? 1 : 0;
}

static int cmd_cat(int argc, char **argv)
{
	static char buf[512];
	struct vfs_file *f;

	if (argc != 2)
		return shell_usage(argv[0], "takes one path, got",
				   argc > 2 ? argv[2] : "nothing");
	storage_lock();
	int rc = vfs_open(argv[1], VFS_O_READ, &f);
	if (rc == 0) {
		long n;
		while ((n = vfs_read(f, buf, sizeof(buf))) > 0)
			shell_printf("%.*s", (int)n, buf);
		rc = n < 0 ? (int)n : 0;
		vfs_close(f);
	}
	storage_unlock();
	if (rc < 0)
		shell_printf("cat: %s: %s\n", argv[1], err_name(rc));
	return rc < 0 ? 1 : 0;
}

/* ls PATH: one line per entry, directories marked with a slash. */
int shell_ls_path(const char *path)
{
	static struct vfs_dirent d;
	struct vfs_file *f;

	storage_lock();
	int rc = vfs_open(path, VFS_O_READ | VFS_O_DIRECTORY, &f);
	if (rc == 0) {
		uint64_t cookie = 0;
		while ((rc = vfs_readdir(f, cookie, &d)) == 1) {
			char full[VFS_PATH_MAX];
			struct vfs_stat st = {0};
			snprintf(full, sizeof(full), "%s/%s", path, d.name);
			vfs_stat(full, &st);
			shell_printf("%10llu  %s%s\n",
				     (unsigned long long)st.size, d.name,
				     d.type == VFS_TYPE_DIR ? "/" : "");
			cookie = d.next;
		}
		vfs_close(f);
	}
	storage_unlock();
	if (rc < 0)
		shell_printf("ls: %s: %s\n", path, err_name(rc));
	return rc < 0 ? 1 : 0;
}

SHELL_COMMAND(mount, cmd_mount, "mount [DEVICE PATH]",
	      "list mounts, or mount a disk's FAT32 volume at PATH");
SHELL_COMMAND(umount, cmd_umount, "umount PATH",
	      "write back and unmount the file system at PATH");
SHELL_COMMAND(sync, cmd_sync, "sync",
	      "write every file system's changes to disk");
SHELL_COMMAND(cat, cmd_cat, "cat PATH", "print a file");
