/*
 * State shared by kernel/program.c (running a program) and
 * kernel/program_thread.c (its threads: wasi-threads' thread-spawn).
 * Not for other files.
 *
 * A run of a program is a group: the main thread (the process that called
 * program_run) and the threads it and they spawn, each a process of its
 * own with its own instance of the one module, all on one shared memory.
 * The main thread owns the group: it outlives every thread, because it
 * reaps them all before it frees the module.
 */
#ifndef KERNEL_PROGRAM_INTERNAL_H
#define KERNEL_PROGRAM_INTERNAL_H

#include <kernel/program.h>
#include <kernel/sched.h>
#include <kernel/shm.h>
#include <kernel/sync.h>
#include <lib/compiler.h>

#include "program_mem.h"
#include <vm/vm.h>
#include <vm/wasi.h>

struct program_group {
	struct proc_resource res; /* the main thread's: kill ends the group */
	struct program_mem mem;	  /* everything the VM allocates for the run */
	unsigned flags;		  /* PROGRAM_BACKGROUND, PROGRAM_QUIET */
	struct vm_module *module;
	struct program_state *main_state; /* owned by the group, see below */
	const char *name; /* as run (the main thread's argv[0]) */
	int argc;
	const char *const *argv;     /* a copy, freed with the group */
	char mem_name[SHM_NAME_MAX]; /* the area `env`.`memory` names */
	struct proc *main;
	/* Every thread's VM interrupt flag: set to end the whole program. */
	volatile int stop;
	bool exiting;	 /* an exit status is set */
	int exit_status; /* first proc_exit/trap of any thread */
	/* The thread table. Taken with preemption off too, so no kill lands
	 * between starting a thread's process and recording it. */
	struct spinlock lock;
	int tids[CONFIG_PROGRAM_MAX_THREADS]; /* pids; 0 = free */
	struct program_thread_job *jobs[CONFIG_PROGRAM_MAX_THREADS];
};

/* One instance running in one process. A thread's state is a resource of
 * the thread's process, so a kill in the middle of running tears it down
 * like any other resource (and ends the program); the main thread's state
 * belongs to the group, whose release frees it after the threads. */
struct program_state {
	struct proc_resource res;
	struct program_group *group;
	struct vm_wasi_ops wasi_ops; /* ctx = this state */
	struct vm_wasi *wasi;
	struct vm_thread *thread;
	struct vm_instance *instance;
	struct shm_handle *shm;	  /* its shared memory, if it imports one */
	struct vm_func *spawn_fn; /* its `wasi`.`thread-spawn`, if imported */
	struct handle *files;	  /* open file handles (program_files.c) */
};

/* Close the file handles st still has (the VM closes those it recorded
 * first; a kill can leave one it never saw). */
void program_files_release(struct program_state *st);

/* Print a message about a program on the console (its stderr). */
void program_report(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* Status of a program one of whose threads was killed (as a shell reports
 * 128 + SIGKILL). */
#define PROGRAM_KILLED_STATUS 137

/* A new state owned by the group (main thread) or the calling process
 * (other threads), from the group's account; NULL if out of memory.
 * program_state_free() disowns and frees it. */
struct program_state *program_state_new(struct program_group *g);
void program_state_free(struct program_state *st);

/* Instantiate the group's module for `st` (flags: vm_instantiate_flags).
 * false after reporting why. */
bool program_instantiate(struct program_state *st, unsigned flags);

/* The VM's status of a finished call as an exit status; reports traps. */
int program_status(const struct program_group *g, enum vm_err_kind k,
		   const struct vm_error *err);

/* program_thread.c */
bool program_thread_resolve(struct program_state *st, const char *module,
			    const char *field, const struct vm_functype *type,
			    struct vm_extern *out);
/* End every thread of the group: set its exit status if none is set yet
 * (`status` < 0: keep whatever is set), raise the stop flag, wake the
 * main thread if it waits, kill the other threads. Any member. */
void program_group_stop(struct program_group *g, int status);
/* Main thread only, at the end: stop and reap every thread. */
void program_group_reap(struct program_group *g);

#endif
