/*
 * The shell's commands in the kernel: bad input gives an error naming it
 * and the shell carries on.
 */
#include <lib/err.h>
#include <kernel/shell.h>
#include <ktest.h>

KTEST(shell, kernel_commands_check_their_arguments)
{
	KT_EXPECT_EQ(t, shell_run_line("frobnicate now"), -2);
	KT_EXPECT_EQ(t, shell_run_line("kill"), -EINVAL);
	KT_EXPECT_EQ(t, shell_run_line("kill abc"), -EINVAL);
	KT_EXPECT_EQ(t, shell_run_line("kill 999999"), -EINVAL);
	KT_EXPECT_EQ(t, shell_run_line("kill 0"), -EINVAL);
	KT_EXPECT_EQ(t, shell_run_line("uptime now"), -EINVAL);
	KT_EXPECT_EQ(t, shell_run_line("bg x"), -EINVAL);
	KT_EXPECT_EQ(t, shell_run_line("a b c d e f g h i j k l m n o p q r"),
		     -E2BIG);
	KT_EXPECT_EQ(t, shell_run_line(""), 0);
	KT_EXPECT_EQ(t, shell_run_line("ps"), 0);
	KT_EXPECT_EQ(t, shell_run_line("uptime"), 0);
	KT_EXPECT_EQ(t, shell_run_line("help"), 0);
}
