/*
 * hello: the smallest WASI command — greets, echoes its arguments, and
 * exits with the number of arguments, so a harness can check output and
 * status on the host and in the kernel.
 */
#include <stdio.h>

int main(int argc, char **argv)
{
	printf("hello from %s\n", argc > 0 ? argv[0] : "(no name)");
	for (int i = 1; i < argc; i++)
		printf("arg %d: %s\n", i, argv[i]);
	return argc - 1;
}
