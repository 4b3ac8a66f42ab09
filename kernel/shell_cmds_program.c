/*
 * The shell's program commands: run (kernel/program.c) and ls (the
 * ramdisk it runs them from).
 */
#include <kernel/program.h>
#include <kernel/ramdisk.h>
#include <kernel/sched.h>
#include <kernel/shell.h>
#include <lib/err.h>
#include <string.h>

/* "-m MiB" before the program's name: its memory limit. */
static bool parse_mem_limit(int *argc, char ***argv, size_t *limit)
{
	long mib;

	if (*argc < 3 || strcmp((*argv)[1], "-m") != 0)
		return true;
	if (!shell_parse_int((*argv)[2], &mib) || mib < 1 || mib > 4096)
		return false;
	*limit = (size_t)mib << 20;
	*argc -= 2;
	*argv += 2;
	return true;
}

/* run [-i] [-m MiB] NAME [ARGS...] [&]: a program from the ramdisk as a
 * process of its own (-i: interpreted, not compiled); in the foreground the
 * shell waits and reports a non-zero status. A background program gets no
 * console input: its stdin is at its end, the keyboard stays the shell's
 * (docs/processes.md). */
static int cmd_run(int argc, char **argv)
{
	bool background = argc > 1 && strcmp(argv[argc - 1], "&") == 0;
	struct program_opts opts = {0, 0};
	const char *cmd = argv[0];

	if (background)
		argc--;
	if (argc > 1 && strcmp(argv[1], "-i") == 0) {
		opts.flags |= PROGRAM_INTERP;
		argc--;
		argv++;
	}
	if (!parse_mem_limit(&argc, &argv, &opts.mem_limit))
		return shell_usage(cmd, "-m takes a size in MiB (1-4096), got",
				   argv[2]);
	if (argc < 2)
		return shell_usage(
			cmd, "usage: run [-i] [-m MiB] NAME [ARGS...] [&]",
			NULL);
	if (background)
		opts.flags |= PROGRAM_BACKGROUND;
	int pid = program_spawn_opts(argc - 1, (const char *const *)argv + 1,
				     background ? PROC_DETACHED : 0, &opts);
	if (pid < 0)
		return shell_usage(cmd, "cannot start:", err_name(pid));
	if (background) {
		shell_printf("[%d] %s\n", pid, argv[1]);
		return 0;
	}
	int status = 0;
	int rc = proc_wait(pid, &status);
	if (rc < 0)
		return shell_usage(cmd, "wait failed:", err_name(rc));
	if (status)
		shell_printf("[%d] %s exited with status %d\n", pid, argv[1],
			     status);
	return 0;
}

static int cmd_ls(int argc, char **argv)
{
	if (argc == 2)
		return shell_ls_path(argv[1]);
	if (argc > 2)
		return shell_usage(argv[0], "takes at most one path, got",
				   argv[2]);
	for (unsigned i = 0; i < kernel_ramdisk.count; i++) {
		const struct ramdisk_file *f =
			ramdisk_file_at(&kernel_ramdisk, i);
		shell_printf("%8lu  %s\n", (unsigned long)f->size, f->name);
	}
	if (kernel_ramdisk.count == 0)
		shell_printf("(the ramdisk is empty: boot with a module or "
			     "initrd)\n");
	return 0;
}

SHELL_COMMAND(run, cmd_run, "run [-i] [-m MiB] NAME [ARGS...] [&]",
	      "run a program from the ramdisk (-i: interpreted; -m: its "
	      "memory limit)");
SHELL_COMMAND(ls, cmd_ls, "ls [PATH]",
	      "list the ramdisk's files, or the directory PATH");
