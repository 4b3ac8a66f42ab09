/*
 * spin: a CPU hog. Counts for ever (or, with an argument, that many
 * million times, then prints the count): for trying the kernel's promise
 * that no busy program starves the shell (`run spin &` twice, then use the
 * shell; scripts/shell-test does).
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	volatile unsigned long count = 0;
	unsigned long millions = argc > 1 ? strtoul(argv[1], NULL, 10) : 0;

	while (!millions || count < millions * 1000000ul)
		count++;
	printf("spin: %lu\n", count);
	return 0;
}
