/*
 * The shell's machine commands: test (the in-kernel suites), uptime,
 * reboot and poweroff.
 */
#include <arch/cpu.h>
#include <arch/ops.h>
#include <arch/timer.h>
#include <kernel/cpus.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/shell.h>
#include <kernel/storage.h>
#include <kernel/tick.h>
#include <ktest.h>
#include <lib/err.h>
#include <stdint.h>
#include <string.h>

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
		shell_printf(
			"test: %d program process%s running (pid %d %s%s): "
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
			return shell_usage(argv[0], "too many suite names",
					   NULL);
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

static int cmd_cpus(int argc, char **argv)
{
	if (argc > 1)
		return shell_usage(argv[0], "takes no arguments, got", argv[1]);
	shell_printf("%u CPUs found (%s), %u started, this is CPU %u\n",
		     cpus_found(), cpus_source(), cpus_started(),
		     arch_cpu_id());
	shell_printf("CPU  HW-ID       STATE                BUSY%%  SWITCHES  "
		     "RUNS\n");
	for (unsigned i = 0; i < cpus_found(); i++) {
		const struct cpu_info *c = cpu_get(i);
		struct sched_cpu_stats st;
		const char *state = c->started	? "running"
				    : c->online ? "present, not started"
						: "offline";
		if (c->started && i == 0)
			state = "running (boot CPU)";
		if (!c->started || sched_cpu_stats(i, &st) < 0) {
			shell_printf("%3u  %#-10x  %s\n", c->id,
				     (unsigned)c->hw_id, state);
			continue;
		}
		uint64_t all = st.busy_ticks + st.idle_ticks;
		shell_printf(
			"%3u  %#-10x  %-19s %5llu %9lu  pid %d\n", c->id,
			(unsigned)c->hw_id, state,
			(unsigned long long)(all ? st.busy_ticks * 100 / all
						 : 0),
			st.switches, st.current_pid);
	}
	if (cpus_ignored())
		shell_printf("%u more beyond NR_CPUS=%d ignored\n",
			     cpus_ignored(), CONFIG_NR_CPUS);
	if (cpus_note())
		shell_printf("note: %s\n", cpus_note());
	return 0;
}

static int cmd_uptime(int argc, char **argv)
{
	if (argc > 1)
		return shell_usage(argv[0], "takes no arguments, got", argv[1]);
	uint64_t ms = arch_time_ns() / 1000000;
	shell_printf("up %llu.%03llu s, %llu ticks at %d Hz, %d processes, %lu "
		     "switches\n",
		     (unsigned long long)(ms / 1000),
		     (unsigned long long)(ms % 1000),
		     (unsigned long long)tick_count(), CONFIG_HZ, proc_count(),
		     sched_switch_count());
	for (unsigned i = 0; i < cpus_found(); i++) {
		struct sched_cpu_stats st;
		if (sched_cpu_stats(i, &st) == 0)
			shell_printf("cpu %u: %llu ticks busy, %llu idle, %lu "
				     "switches\n",
				     i, (unsigned long long)st.busy_ticks,
				     (unsigned long long)st.idle_ticks,
				     st.switches);
	}
	return 0;
}

static int cmd_reboot(int argc, char **argv)
{
	if (argc > 1)
		return shell_usage(argv[0], "takes no arguments, got", argv[1]);
	storage_sync(); /* what programs wrote and did not fsync */
	int rc = arch_reboot();
	return shell_usage(argv[0], "the machine did not reset:", err_name(rc));
}

static int cmd_poweroff(int argc, char **argv)
{
	if (argc > 1)
		return shell_usage(argv[0], "takes no arguments, got", argv[1]);
	storage_sync();
	int rc = arch_poweroff();
	return shell_usage(argv[0], "cannot power off:", err_name(rc));
}

SHELL_COMMAND(test, cmd_test, "test [SUITE...]",
	      "run in-kernel tests (all or the suites)");
SHELL_COMMAND(cpus, cmd_cpus, "cpus", "the CPUs found and which run");
SHELL_COMMAND(uptime, cmd_uptime, "uptime", "time since boot");
SHELL_COMMAND(reboot, cmd_reboot, "reboot", "reset the machine");
SHELL_COMMAND(poweroff, cmd_poweroff, "poweroff", "switch the machine off");
