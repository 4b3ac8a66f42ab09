/* fstool's parts (fstool.c: the image and the commands; fstool_random.c:
 * random operations against a model directory). */
#ifndef FSTOOL_H
#define FSTOOL_H

#include <fs/fat.h>
#include <lib/err.h>
#include <stdarg.h>

extern struct fat_vol *vol;
void die(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
int tool_mount(void);
void tool_umount(void);
int tool_walk(const char *path, struct fat_node **out, char *last);
int tool_random(unsigned long seed, unsigned long count, const char *model);

#endif
