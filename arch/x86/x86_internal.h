/* Declarations shared inside the x86 backend only. */
#ifndef ARCH_X86_INTERNAL_H
#define ARCH_X86_INTERNAL_H

#include <arch/boot.h>
#include <arch/x86_platform.h>
#include <stdint.h>

/* The registers isr.S saves, lowest address first. */
struct trap_frame {
	uint32_t gs, fs, es, ds;
	uint32_t edi, esi, ebp, esp_at_pusha, ebx, edx, ecx, eax;
	uint32_t vector, error;
	uint32_t eip, cs, eflags;
};

void gdt_init(void);
void idt_init(void);
void x86_trap(struct trap_frame *f);
void mmu_init(const struct boot_info *bi);
void fpu_init(void);

#endif
