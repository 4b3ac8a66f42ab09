# wasi_thread_start(tid, start): the wasi-threads entry point. The new
# instance's __stack_pointer still has the link-time initial value, which
# the main thread's stack uses, so no C code may run before it is set to
# this thread's own stack: start->stack_top (the first field of struct
# thread_start in thread.c).
	.globaltype __stack_pointer, i32
	.functype thread_entry (i32, i32) -> ()
	.text
	.globl wasi_thread_start
	.type wasi_thread_start,@function
wasi_thread_start:
	.functype wasi_thread_start (i32, i32) -> ()
	local.get 1
	i32.load 0
	global.set __stack_pointer
	local.get 0
	local.get 1
	call thread_entry
	end_function
