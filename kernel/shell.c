/*
 * The shell process: reads the console (the serial line and the PS/2
 * keyboard, both at once), edits the line, runs commands. Output goes
 * straight to the console (it is not a kernel message, so `quiet` does not
 * hide it).
 */
#include <arch/ops.h>
#include <arch/timer.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/program.h>
#include <kernel/program_mem.h>
#include <kernel/ramdisk.h>
#include <kernel/sched.h>
#include <kernel/shell.h>
#include <kernel/shm.h>
#include <kernel/tick.h>
#include <ktest.h>
#include <lib/err.h>
#include <mm/layout.h>
#include <mm/mm.h>
#include <stdarg.h>
#include <string.h>
#ifdef CONFIG_X86_VESA
#include <platform/vesa.h>
#endif

static void shell_write(const char *s, size_t n)
{
	console_write(s, n);
}

static void PRINTF_LIKE(1, 2) sh_printf(const char *fmt, ...)
{
	char buf[160];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (n > 0)
		shell_write(buf, (size_t)n);
}

static int usage(const char *cmd, const char *what, const char *arg)
{
	if (arg)
		sh_printf("%s: %s '%s'\n", cmd, what, arg);
	else
		sh_printf("%s: %s\n", cmd, what);
	return -EINVAL;
}

static int cmd_help(int argc, char **argv);

static int cmd_ps(int argc, char **argv)
{
	struct proc_info info[32];

	if (argc > 1)
		return usage(argv[0], "takes no arguments, got", argv[1]);
	int n = proc_list(info, 32);
	sh_printf(
		"  PID NAME             STATE    PRIO   TICKS  SWITCHES  STACK "
		"USED/SIZE\n");
	for (int i = 0; i < n && i < 32; i++)
		sh_printf("%5d %-16s %-8s %4d %7llu %9lu  %5lu/%lu\n",
			  info[i].pid, info[i].name,
			  proc_state_name(info[i].state), info[i].prio,
			  (unsigned long long)info[i].ticks, info[i].switches,
			  (unsigned long)info[i].stack_used,
			  (unsigned long)info[i].stack_size);
	if (n > 32)
		sh_printf("(%d more)\n", n - 32);
	return 0;
}

static int cmd_kill(int argc, char **argv)
{
	long pid;

	if (argc != 2)
		return usage(argv[0], "usage: kill PID", NULL);
	if (!shell_parse_int(argv[1], &pid) || pid < 0)
		return usage(argv[0], "not a process id:", argv[1]);
	int rc = proc_kill((int)pid);
	if (rc == -ENOENT)
		return usage(argv[0], "no such process:", argv[1]);
	if (rc == -EPERM)
		return usage(argv[0], "may not kill process", argv[1]);
	if (rc < 0)
		return usage(argv[0], err_name(rc), argv[1]);
	return 0;
}

/* Each running program's memory account (kernel/program_mem.c). */
static void print_program_memory(void)
{
	struct program_mem_info info[16];
	int n = program_mem_list(info, 16);

	if (n == 0)
		return;
	sh_printf("  PID PROGRAM          CHARGED KiB  PEAK KiB  LIMIT KiB "
		  "REFUSED\n");
	for (int i = 0; i < n && i < 16; i++)
		sh_printf("%5d %-16s %11lu %9lu %10lu %7lu\n", info[i].pid,
			  info[i].name, (unsigned long)(info[i].charged >> 10),
			  (unsigned long)(info[i].peak >> 10),
			  (unsigned long)(info[i].limit >> 10),
			  info[i].refused);
	if (n > 16)
		sh_printf("(%d more)\n", n - 16);
}

static int cmd_meminfo(int argc, char **argv)
{
	if (argc > 1)
		return usage(argv[0], "takes no arguments, got", argv[1]);
	printk_set_quiet(0);
	mm_print_info();
	printk_set_quiet(kernel_quiet);
	print_program_memory();
	return 0;
}

/* Shared memory areas: kernel processes' and programs' (whose linear
 * memory an area is when it has a "wasm memory" attached). */
static int cmd_shm(int argc, char **argv)
{
	struct shm_info info[16];

	if (argc > 1)
		return usage(argv[0], "takes no arguments, got", argv[1]);
	int n = shm_list(info, 16);
	sh_printf("%-32s %10s %5s  %s\n", "NAME", "BYTES", "USERS", "ATTACHED");
	for (int i = 0; i < n && i < 16; i++)
		sh_printf("%-32s %10zu %5u  %s\n", info[i].name, info[i].size,
			  info[i].users, info[i].kind ? info[i].kind : "-");
	if (n > 16)
		sh_printf("(%d more)\n", n - 16);
	return 0;
}

static int cmd_layout(int argc, char **argv)
{
	if (argc > 1)
		return usage(argv[0], "takes no arguments, got", argv[1]);
	printk_set_quiet(0);
	mm_layout_print();
	printk_set_quiet(kernel_quiet);
	return 0;
}

static int cmd_test(int argc, char **argv)
{
	char filter[SHELL_LINE_MAX] = "";
	size_t len = 0;
	struct proc_info info[32];
	int programs = 0, first = 0;

	/* Several suites start processes below the programs' priority and
	 * measure timing: beside a busy program they would starve. */
	int n = proc_list(info, 32);
	for (int i = 0; i < n && i < 32; i++)
		if ((info[i].flags & PROC_PROGRAM) &&
		    info[i].state != PROC_ZOMBIE && !programs++)
			first = i;
	if (programs) {
		sh_printf("test: %d program process%s running (pid %d %s%s): "
			  "the tests need the CPU; kill %s first\n",
			  programs, programs == 1 ? " is" : "es are",
			  info[first].pid, info[first].name,
			  programs == 1 ? "" : ", ...",
			  programs == 1 ? "it" : "them");
		return -EBUSY;
	}

	for (int i = 1; i < argc; i++) {
		len += strlcpy(filter + len, argv[i], sizeof(filter) - len);
		if (len + 2 >= sizeof(filter))
			return usage(argv[0], "too many suite names", NULL);
		if (i + 1 < argc)
			filter[len++] = ' ';
		filter[len] = '\0';
	}
	printk_set_quiet(0);
	/* An unknown suite name is reported by the runner itself. */
	struct ktest_totals t = ktest_run(filter);
	printk_set_quiet(kernel_quiet);
	return t.failed ? -EIO : 0;
}

static int cmd_uptime(int argc, char **argv)
{
	if (argc > 1)
		return usage(argv[0], "takes no arguments, got", argv[1]);
	uint64_t ms = arch_time_ns() / 1000000;
	sh_printf("up %llu.%03llu s, %llu ticks at %d Hz, %d processes, %lu "
		  "switches\n",
		  (unsigned long long)(ms / 1000),
		  (unsigned long long)(ms % 1000),
		  (unsigned long long)tick_count(), CONFIG_HZ, proc_count(),
		  sched_switch_count());
	return 0;
}

static int cmd_reboot(int argc, char **argv)
{
	if (argc > 1)
		return usage(argv[0], "takes no arguments, got", argv[1]);
	int rc = arch_reboot();
	return usage(argv[0], "the machine did not reset:", err_name(rc));
}

static int cmd_poweroff(int argc, char **argv)
{
	if (argc > 1)
		return usage(argv[0], "takes no arguments, got", argv[1]);
	int rc = arch_poweroff();
	return usage(argv[0], "cannot power off:", err_name(rc));
}

static void sleeper(void *arg)
{
	proc_sleep_ms((unsigned)(uintptr_t)arg);
}

static int cmd_bg(int argc, char **argv)
{
	long s;

	if (argc != 2)
		return usage(argv[0], "usage: bg SECONDS", NULL);
	if (!shell_parse_int(argv[1], &s) || s < 0 || s > 100000)
		return usage(argv[0], "not a number of seconds:", argv[1]);
	int pid =
		proc_spawn("sleeper", sleeper, (void *)(uintptr_t)(s * 1000),
			   PROC_PRIO_DEFAULT, 4096, PROC_DETACHED | PROC_NOFPU);
	if (pid < 0)
		return usage(argv[0], "cannot start:", err_name(pid));
	sh_printf("[%d] sleeper for %ld s\n", pid, s);
	return 0;
}

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

/* run [-m MiB] NAME [ARGS...] [&]: a program from the ramdisk as a
 * process of its own; in the foreground the shell waits and reports a
 * non-zero status. A background program gets no console input: its stdin
 * is at its end, the keyboard stays the shell's (docs/processes.md). */
static int cmd_run(int argc, char **argv)
{
	bool background = argc > 1 && strcmp(argv[argc - 1], "&") == 0;
	struct program_opts opts = {0, 0};
	const char *cmd = argv[0];

	if (background)
		argc--;
	if (!parse_mem_limit(&argc, &argv, &opts.mem_limit))
		return usage(cmd, "-m takes a size in MiB (1-4096), got",
			     argv[2]);
	if (argc < 2)
		return usage(cmd, "usage: run [-m MiB] NAME [ARGS...] [&]",
			     NULL);
	if (background)
		opts.flags |= PROGRAM_BACKGROUND;
	int pid = program_spawn_opts(argc - 1, (const char *const *)argv + 1,
				     background ? PROC_DETACHED : 0, &opts);
	if (pid < 0)
		return usage(cmd, "cannot start:", err_name(pid));
	if (background) {
		sh_printf("[%d] %s\n", pid, argv[1]);
		return 0;
	}
	int status = 0;
	int rc = proc_wait(pid, &status);
	if (rc < 0)
		return usage(cmd, "wait failed:", err_name(rc));
	if (status)
		sh_printf("[%d] %s exited with status %d\n", pid, argv[1],
			  status);
	return 0;
}

static int cmd_ls(int argc, char **argv)
{
	if (argc > 1)
		return usage(argv[0], "takes no arguments, got", argv[1]);
	for (unsigned i = 0; i < kernel_ramdisk.count; i++) {
		const struct ramdisk_file *f =
			ramdisk_file_at(&kernel_ramdisk, i);
		sh_printf("%8lu  %s\n", (unsigned long)f->size, f->name);
	}
	if (kernel_ramdisk.count == 0)
		sh_printf("(the ramdisk is empty: boot with a module or "
			  "initrd)\n");
	return 0;
}

static const struct shell_cmd commands[] = {
	{"help", "help", "list the commands", cmd_help},
	{"ps", "ps", "list the processes", cmd_ps},
	{"run", "run [-m MiB] NAME [ARGS...] [&]",
	 "run a program from the ramdisk (-m: its memory limit)", cmd_run},
	{"ls", "ls", "list the ramdisk's files", cmd_ls},
	{"kill", "kill PID", "end a process", cmd_kill},
	{"meminfo", "meminfo", "zones, heaps, DMA windows, programs' memory",
	 cmd_meminfo},
	{"layout", "layout", "the memory region table", cmd_layout},
	{"shm", "shm", "list the shared memory areas", cmd_shm},
	{"test", "test [SUITE...]", "run in-kernel tests (all or the suites)",
	 cmd_test},
	{"uptime", "uptime", "time since boot", cmd_uptime},
	{"bg", "bg SECONDS", "start a process that sleeps (for ps and kill)",
	 cmd_bg},
#ifdef CONFIG_X86_VESA
	{"vbe", "vbe [info] | modes | set WxHxBPP | set text", "VESA modes",
	 vesa_shell_cmd},
#endif
	{"reboot", "reboot", "reset the machine", cmd_reboot},
	{"poweroff", "poweroff", "switch the machine off", cmd_poweroff},
	{NULL, NULL, NULL, NULL},
};

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	for (const struct shell_cmd *c = commands; c->name; c++)
		sh_printf(strlen(c->usage) > 16 ? "  %s\n  %16s %s\n"
						: "  %-16s%.0s %s\n",
			  c->usage, "", c->help);
	sh_printf("Keys: left/right, Home/End, Backspace/Delete, up/down for "
		  "history, Ctrl-A/E/U/C.\n");
	return 0;
}

int shell_run_line(const char *line)
{
	char buf[SHELL_LINE_MAX];
	char *argv[SHELL_MAX_ARGS];

	strlcpy(buf, line, sizeof(buf));
	int argc = shell_split(buf, argv, SHELL_MAX_ARGS);
	if (argc < 0) {
		sh_printf("too many words (at most %d)\n", SHELL_MAX_ARGS);
		return -E2BIG;
	}
	return shell_dispatch(commands, argc, argv, shell_write);
}

static struct line_editor editor;

void shell_main(void *arg)
{
	(void)arg;
	le_init(&editor, shell_write);
	sh_printf("\nflatkernel shell. Type 'help' for the commands.\n");
	for (;;) {
		le_reset(&editor);
		shell_write("> ", 2);
		enum le_event ev;
		do
			ev = le_feed(&editor, console_read());
		while (ev == LE_NONE);
		if (ev != LE_LINE)
			continue;
		le_history_add(&editor, editor.buf);
		shell_run_line(editor.buf);
	}
}
