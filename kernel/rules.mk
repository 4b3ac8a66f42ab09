KSRCS += kernel/main.c kernel/cmdline.c kernel/console.c kernel/printk.c \
	kernel/panic.c kernel/ksyms.c kernel/tick.c kernel/ktest_glue.c \
	kernel/crash.c kernel/irq_lines.c

# Boot modules as files (the ramdisk).
KSRCS += kernel/ramdisk.c kernel/tar.c kernel/storage.c kernel/shell_cmds_fs.c \
	kernel/program_files.c

# The fuzz boot: every ramdisk file as a program, leak-checked.
KSRCS += kernel/fuzz_boot.c kernel/fuzz_run.c kernel/fuzz_counts.c

# Processes, synchronisation, shared memory, the shell.
KSRCS += kernel/sched.c kernel/sched_check.c kernel/proc.c kernel/stack_cache.c \
	kernel/sync.c kernel/shm.c \
	kernel/shell.c kernel/shell_line.c kernel/shell_cmds_proc.c \
	kernel/shell_cmds_mem.c kernel/shell_cmds_program.c \
	kernel/shell_cmds_sys.c kernel/sched_bench.c
HOST_UNITS += kernel/shell_line.c
# The sched suite's FPU register helpers are the one test file built with
# the FPU enabled.
CFLAGS_tests/sched/fpu_regs.c := $(ARCH_FPU_CFLAGS)

# The CPUs found at boot (the record; the boards' firmware scans fill it).
KSRCS += kernel/cpus.c
KSRCS += kernel/smp.c kernel/smp_bench.c kernel/klock.c kernel/lock_order.c
HOST_UNITS += kernel/cpus.c
