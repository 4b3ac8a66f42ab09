/*
 * The shell's process commands: ps, kill, and bg (a sleeper to try them
 * on). Processes are kernel/sched.c's.
 */
#include <kernel/program_mem.h>
#include <kernel/sched.h>
#include <kernel/shell.h>
#include <lib/err.h>
#include <lib/printf.h>
#include <stdint.h>

/* A program's compiled code in KiB, by its main thread's pid; -1 for a
 * process that runs no program (its threads' lines show the main's). */
static long code_kib(int pid, const struct program_mem_info *progs, int n)
{
	for (int i = 0; i < n; i++)
		if (progs[i].pid == pid)
			return (long)((progs[i].code_bytes + 1023) >> 10);
	return -1;
}

static int cmd_ps(int argc, char **argv)
{
	struct proc_info info[32];
	struct program_mem_info progs[16];

	if (argc > 1)
		return shell_usage(argv[0], "takes no arguments, got", argv[1]);
	int n = proc_list(info, 32);
	int np = program_mem_list(progs, 16);
	if (np > 16)
		np = 16;
	shell_printf(
		"  PID NAME             STATE    CPU PRIO   TICKS  SWITCHES  "
		"STACK USED/SIZE  CODE KiB\n");
	for (int i = 0; i < n && i < 32; i++) {
		long code = code_kib(info[i].pid, progs, np);
		char col[16] = "-";
		if (code >= 0)
			snprintf(col, sizeof(col), "%ld", code);
		shell_printf("%5d %-16s %-8s %3u %4d %7llu %9lu  %5lu/%-6lu "
			     "%8s\n",
			     info[i].pid, info[i].name,
			     proc_state_name(info[i].state), info[i].cpu,
			     info[i].prio, (unsigned long long)info[i].ticks,
			     info[i].switches,
			     (unsigned long)info[i].stack_used,
			     (unsigned long)info[i].stack_size, col);
	}
	if (n > 32)
		shell_printf("(%d more)\n", n - 32);
	return 0;
}

static int cmd_kill(int argc, char **argv)
{
	long pid;

	if (argc != 2)
		return shell_usage(argv[0], "usage: kill PID", NULL);
	if (!shell_parse_int(argv[1], &pid) || pid < 0)
		return shell_usage(argv[0], "not a process id:", argv[1]);
	int rc = proc_kill((int)pid);
	if (rc == -ENOENT)
		return shell_usage(argv[0], "no such process:", argv[1]);
	if (rc == -EPERM)
		return shell_usage(argv[0], "may not kill process", argv[1]);
	if (rc < 0)
		return shell_usage(argv[0], err_name(rc), argv[1]);
	return 0;
}

static void sleeper(void *arg)
{
	proc_sleep_ms((unsigned)(uintptr_t)arg);
}

static int cmd_bg(int argc, char **argv)
{
	long s;

	if (argc != 2)
		return shell_usage(argv[0], "usage: bg SECONDS", NULL);
	if (!shell_parse_int(argv[1], &s) || s < 0 || s > 100000)
		return shell_usage(argv[0],
				   "not a number of seconds:", argv[1]);
	int pid =
		proc_spawn("sleeper", sleeper, (void *)(uintptr_t)(s * 1000),
			   PROC_PRIO_DEFAULT, 4096, PROC_DETACHED | PROC_NOFPU);
	if (pid < 0)
		return shell_usage(argv[0], "cannot start:", err_name(pid));
	shell_printf("[%d] sleeper for %ld s\n", pid, s);
	return 0;
}

SHELL_COMMAND(ps, cmd_ps, "ps", "list the processes");
SHELL_COMMAND(kill, cmd_kill, "kill PID", "end a process");
SHELL_COMMAND(bg, cmd_bg, "bg SECONDS",
	      "start a process that sleeps (for ps and kill)");
