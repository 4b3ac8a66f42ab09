/* FPU register helpers for the sched suite (tests/sched/fpu_regs.c). */
#ifndef TESTS_SCHED_FPU_REGS_H
#define TESTS_SCHED_FPU_REGS_H

#include <stdint.h>

void fpu_regs_set(uint32_t value, uint32_t control);
void fpu_regs_get(uint32_t *value, uint32_t *control);
uint32_t fpu_control_variant(int k);
uint32_t fpu_hold_across(uint32_t value, const volatile unsigned long *counter,
			 unsigned long switches);

#endif
