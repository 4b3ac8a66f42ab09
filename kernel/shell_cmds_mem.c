/*
 * The shell's memory commands: meminfo (mm/ and each program's account),
 * layout (the region table) and shm (the shared areas).
 */
#include <kernel/printk.h>
#include <kernel/program.h>
#include <kernel/program_mem.h>
#include <kernel/shell.h>
#include <kernel/shm.h>
#include <kernel/stack_cache.h>
#include <mm/code_region.h>
#include <mm/layout.h>
#include <mm/mm.h>
#include <vm/vm.h>

/* mm/ reports through printk: shown even under `quiet`, as asked for. */
static void print_loud(void (*report)(void))
{
	printk_set_quiet(0);
	report();
	printk_set_quiet(kernel_quiet);
}

/* Each running program's memory account (kernel/program_mem.c). */
static void print_program_memory(void)
{
	struct program_mem_info info[16];
	int n = program_mem_list(info, 16);

	if (n == 0)
		return;
	shell_printf("  PID PROGRAM          CHARGED KiB  PEAK KiB  LIMIT KiB "
		     "REFUSED  CODE KiB (FUNCS, PAGES)\n");
	for (int i = 0; i < n && i < 16; i++)
		shell_printf(
			"%5d %-16s %11lu %9lu %10lu %7lu %9lu (%lu, %lu)\n",
			info[i].pid, info[i].name,
			(unsigned long)(info[i].charged >> 10),
			(unsigned long)(info[i].peak >> 10),
			(unsigned long)(info[i].limit >> 10), info[i].refused,
			(unsigned long)((info[i].code_bytes + 1023) >> 10),
			info[i].code_funcs, (unsigned long)info[i].code_pages);
	if (n > 16)
		shell_printf("(%d more)\n", n - 16);
}

/* The code region and the compiler's counts since boot (vm_jit_stats:
 * every program and test together). */
static void print_compiled_code(void)
{
	struct code_region_stats cr;
	struct vm_jit_stats js;

	code_region_get_stats(&cr);
	vm_jit_stats(&js);
	if (!program_compiler_on()) {
		shell_printf("compiled code: off (%s)\n",
			     cr.pages_total ? "`interp` on the command line"
					    : "VM_COMPILER=n");
		return;
	}
	shell_printf("compiled code: region %zu of %zu KiB used, %lu chunk "
		     "allocs, %lu frees, %lu refused; since boot %lu functions "
		     "compiled (%lu KiB), %lu left to the interpreter\n",
		     cr.pages_used * 4, cr.pages_total * 4, cr.allocs, cr.frees,
		     cr.failures, (unsigned long)js.compiled,
		     (unsigned long)(js.code_bytes >> 10),
		     (unsigned long)js.fallback);
}

/* Freed process stacks kept with their guard pages (kernel heap). */
static void print_stack_cache(void)
{
	struct stack_cache_stats sc;

	stack_cache_get_stats(&sc);
	shell_printf("stack cache: %u stacks, %zu KiB of the kernel heap; "
		     "%lu spawns served, %lu missed, %lu frees overflowed\n",
		     sc.cached, sc.bytes >> 10, sc.hits, sc.misses,
		     sc.overflows);
}

static int cmd_meminfo(int argc, char **argv)
{
	if (argc > 1)
		return shell_usage(argv[0], "takes no arguments, got", argv[1]);
	print_loud(mm_print_info);
	print_stack_cache();
	print_compiled_code();
	print_program_memory();
	return 0;
}

/* Shared memory areas: kernel processes' and programs' (whose linear
 * memory an area is when it has a "wasm memory" attached). */
static int cmd_shm(int argc, char **argv)
{
	struct shm_info info[16];

	if (argc > 1)
		return shell_usage(argv[0], "takes no arguments, got", argv[1]);
	int n = shm_list(info, 16);
	shell_printf("%-32s %10s %5s  %s\n", "NAME", "BYTES", "USERS",
		     "ATTACHED");
	for (int i = 0; i < n && i < 16; i++)
		shell_printf("%-32s %10zu %5u  %s\n", info[i].name,
			     info[i].size, info[i].users,
			     info[i].kind ? info[i].kind : "-");
	if (n > 16)
		shell_printf("(%d more)\n", n - 16);
	return 0;
}

static int cmd_layout(int argc, char **argv)
{
	if (argc > 1)
		return shell_usage(argv[0], "takes no arguments, got", argv[1]);
	print_loud(mm_layout_print);
	return 0;
}

SHELL_COMMAND(meminfo, cmd_meminfo, "meminfo",
	      "zones, heaps, DMA windows, programs' memory");
SHELL_COMMAND(layout, cmd_layout, "layout", "the memory region table");
SHELL_COMMAND(shm, cmd_shm, "shm", "list the shared memory areas");
