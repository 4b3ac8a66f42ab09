/*
 * kmain: the arch-neutral start of the kernel. The architecture has set up
 * the CPU and parsed its boot protocol into `struct boot_info`; from here on
 * nothing names an architecture.
 */
#include <arch/boot.h>
#include <arch/irq.h>
#include <arch/ops.h>
#include <arch/timer.h>
#include <kernel/bench_native.h>
#include <kernel/cmdline.h>
#include <kernel/console.h>
#include <kernel/cpus.h>
#include <kernel/crash.h>
#include <kernel/fuzz.h>
#include <kernel/kernel.h>
#include <kernel/printk.h>
#include <kernel/program.h>
#include <kernel/ramdisk.h>
#include <kernel/sched.h>
#include <kernel/shell.h>
#include <kernel/smp.h>
#include <kernel/storage.h>
#include <kernel/tick.h>
#include <ktest.h>
#include <lib/err.h>
#include <mm/mm.h>
#include <string.h>

bool kernel_exit_on_panic;
struct boot_info *kernel_boot_info;
int kernel_quiet;

static char cmdline_buf[BOOT_CMDLINE_MAX];
static struct cmdline cmdline;

static const char *mem_type_name(enum boot_mem_type t)
{
	switch (t) {
	case BOOT_MEM_USABLE: return "usable";
	case BOOT_MEM_RESERVED: return "reserved";
	case BOOT_MEM_ACPI_RECLAIM: return "ACPI reclaimable";
	case BOOT_MEM_ACPI_NVS: return "ACPI NVS";
	case BOOT_MEM_BAD: return "bad";
	}
	return "unknown";
}

/* The command line in pieces: one printk holds 512 bytes, the line up to
 * BOOT_CMDLINE_MAX, and a line cut short would misstate the kernel's. */
static void print_cmdline(const char *line)
{
	size_t len = strlen(line);

	printk("boot: command line \"");
	for (size_t at = 0; at < len; at += 256)
		printk("%.*s", (int)(len - at < 256 ? len - at : 256),
		       line + at);
	printk("\"\n");
}

static void print_boot_summary(const struct boot_info *bi)
{
	uint64_t usable = 0;

	printk("boot: loader \"%s\"\n", bi->loader);
	print_cmdline(bi->cmdline);
	printk("boot: kernel image %#lx-%#lx\n",
	       (unsigned long)bi->kernel_start, (unsigned long)bi->kernel_end);
	printk("boot: memory map, %u entries%s:\n", bi->mem_count,
	       bi->mem_dropped ? " (more dropped)" : "");
	for (unsigned i = 0; i < bi->mem_count; i++) {
		const struct boot_mem_region *r = &bi->mem[i];
		printk("  0x%016llx-0x%016llx %s\n",
		       (unsigned long long)r->base,
		       (unsigned long long)(r->base + r->size),
		       mem_type_name(r->type));
		if (r->type == BOOT_MEM_USABLE)
			usable += r->size;
	}
	printk("boot: %llu KiB usable\n", (unsigned long long)(usable >> 10));
	for (unsigned i = 0; i < bi->module_count; i++) {
		const struct boot_module *m = &bi->modules[i];
		printk("boot: module %u at %#lx-%#lx (%lu bytes) \"%s\"\n", i,
		       (unsigned long)m->start, (unsigned long)m->end,
		       (unsigned long)(m->end - m->start),
		       m->cmdline ? m->cmdline : "");
	}
	if (bi->modules_dropped)
		printk("boot: %u modules beyond the first %d ignored\n",
		       bi->modules_dropped, BOOT_MAX_MODULES);
}

static void parse_cmdline(const struct boot_info *bi)
{
	bool image_path;

	strlcpy(cmdline_buf, cmdline_boot_line(bi, &image_path),
		sizeof(cmdline_buf));
	int rc = cmdline_parse(&cmdline, cmdline_buf, image_path);
	kernel_quiet = cmdline.quiet;
	printk_set_quiet(cmdline.quiet);
	/* A test run must end, even if start-up itself panics. */
	if (cmdline.test || cmdline.fuzz)
		kernel_exit_on_panic = true;
	/* Dropped words change what the kernel does (a lost run=): said even
	 * under `quiet`, in one piece. */
	char notice[CMDLINE_NOTICE_MAX];
	size_t n = cmdline_cut_notice(bi, notice, sizeof(notice));
	if (n)
		console_write(notice, n);
	if (rc < 0)
		printk("cmdline: over %d words: %d ignored, from '%s' on\n",
		       CMDLINE_MAX_WORDS, cmdline.ignored,
		       cmdline.first_ignored);
	for (int i = 0; i < cmdline.unknown_count; i++)
		printk("cmdline: unknown option '%s' ignored\n",
		       cmdline.unknown[i]);
}

static void NORETURN run_tests(void)
{
	kernel_exit_on_panic = true;
	tick_set_watchdog(CONFIG_KTEST_TIMEOUT_S * 1000ull,
			  "in-kernel test run");
	struct ktest_totals t = ktest_run(cmdline.test_filter);
	tick_set_watchdog(0, NULL);
	arch_test_exit(t.failed ? 1 : 0);
}

/* run=NAME [-- ARGS]: run one program, then leave QEMU with its exit
 * status (with `quiet`, the console shows only the program's output).
 * With `time`, a last line gives the wall time of program_run (load,
 * compile, run), measured here so boot time stays out of it: what
 * scripts/bench-wasm-kernel compares with a host run. A bench build
 * (CONFIG_BENCH_NATIVE) first runs the same benchmark as native C. */
static void NORETURN run_program_and_exit(void)
{
	const char *argv[CMDLINE_MAX_WORDS + 1];

	argv[0] = cmdline.run;
	for (int i = 0; i < cmdline.program_argc; i++)
		argv[i + 1] = cmdline.program_args[i];
	if (cmdline.time)
		bench_native_beside(cmdline.run); /* bench builds only */
	uint64_t start = arch_time_ns();
	struct program_opts opts = {(size_t)cmdline.run_mem_mb << 20, 0};
	int status = program_run_opts(cmdline.run, cmdline.program_argc + 1,
				      argv, &opts);
	uint64_t us = (arch_time_ns() - start) / 1000;
	if (cmdline.time) {
		char line[64];
		int n = snprintf(line, sizeof(line), "run-time %llu.%06llu s\n",
				 (unsigned long long)(us / 1000000),
				 (unsigned long long)(us % 1000000));
		console_write(line, (size_t)n);
	}
	if (status < 0)
		status = 127; /* as a shell says "command not found" */
	/* A clean end leaves clean disks: what the program wrote and did
	 * not fsync goes out before QEMU exits (as poweroff does). */
	storage_sync();
	arch_test_exit(status);
}

/* fuzz[=MS]: every ramdisk file as a program, twice, with the leak check
 * (kernel/fuzz_boot.c); then leave QEMU with the verdict, as `test` does.
 * Without fuzz-seed=, the seed comes from the cycle counter and is
 * printed, so any run can be repeated. */
static void NORETURN run_fuzz_and_exit(void)
{
	uint32_t seed = cmdline.fuzz_seed_set ? (uint32_t)cmdline.fuzz_seed
					      : (uint32_t)arch_cycles() | 1;
	int failed = fuzz_boot_run((unsigned)cmdline.fuzz_ms, seed);
	arch_test_exit(failed ? 1 : 0);
}

/* The shell runs as its own process; init restarts it if it ever ends. */
static void NORETURN run_shell(void)
{
	for (;;) {
		int pid = proc_spawn("shell", shell_main, NULL,
				     PROC_PRIO_DEFAULT, 32768, 0);
		if (pid < 0)
			panic("cannot start the shell: %s", err_name(pid));
		int status;
		if (proc_wait(pid, &status) == 0)
			printk("init: the shell ended (status %d); restarting "
			       "it\n",
			       status);
	}
}

/* The timer's tick: time and watchdog first, then the scheduler (which may
 * switch processes here when the arch allows it). */
static void timer_tick(void)
{
	tick_handler();
	sched_tick();
}

void kmain(struct boot_info *bi)
{
	kernel_boot_info = bi;
	parse_cmdline(bi);
	printk("%s %s on %s\n", KERNEL_NAME, KERNEL_VERSION, arch_name());
	print_boot_summary(bi);
	mm_init(bi);
	cpus_print_summary(); /* found by the board: early (ARM) or in mm_init
			       */
	ramdisk_init(bi);
	/* From here on kmain is process 1, "init": tests, programs and the
	 * shell all run in processes and may sleep. */
	sched_init();

	int rc = arch_timer_start(CONFIG_HZ, timer_tick);
	if (rc < 0)
		panic("cannot start the %d Hz timer: %s", CONFIG_HZ,
		      err_name(rc));
	arch_irq_enable();
	arch_late_init();
	smp_init();
	/* after the drivers (arch_late_init) found the disks */
	storage_init(!cmdline.test);

	if (cmdline.crash) {
		/* A deliberate fault is a test: end the run when it panics. */
		kernel_exit_on_panic = true;
		crash_trigger(cmdline.crash);
		panic("crash=%s: no fault happened", cmdline.crash);
	}
	if (cmdline.test)
		run_tests();
	if (cmdline.run)
		run_program_and_exit();
	if (cmdline.fuzz)
		run_fuzz_and_exit();
	if (cmdline.bench)
		arch_test_exit(sched_bench_run() < 0 ? 1 : 0);
	run_shell();
}
