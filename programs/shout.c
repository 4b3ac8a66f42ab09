/*
 * shout: a small interactive program. It reads lines from stdin and
 * answers each in capitals, until "quit" or the end of input (Ctrl-D),
 * then says how many lines it heard — stdin, stdout and the exit status
 * through WASI, in the shell (`run shout`) and on the host (wasmrun).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	char line[256];
	int lines = 0;

	printf("shout: type a line (quit or Ctrl-D to stop)\n> ");
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (strcmp(line, "quit") == 0)
			break;
		for (char *p = line; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		printf("%s!\n> ", line);
		fflush(stdout);
		lines++;
	}
	printf("\nshout: %d line%s\n", lines, lines == 1 ? "" : "s");
	return lines;
}
