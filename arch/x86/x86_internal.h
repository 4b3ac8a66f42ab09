/* Declarations shared inside the x86 backend only. */
#ifndef ARCH_X86_INTERNAL_H
#define ARCH_X86_INTERNAL_H

#include <arch/boot.h>
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
void pic_init(void);
void pic_mask(unsigned irq);
void pic_unmask(unsigned irq);
void pic_eoi(unsigned irq);
void x86_irq_dispatch(unsigned irq);
void x86_trap(struct trap_frame *f);
void mmu_init(const struct boot_info *bi);
void fpu_init(void);
void x86_console_init(void);

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002u

/*
 * Parse the multiboot information at `mbi` (identity-mapped physical
 * address) into `bi`. Returns 0, or -EINVAL for a bad magic, -ENOENT when
 * there is no memory map; `why` then names the problem for the message.
 */
int multiboot_parse(uint32_t magic, uintptr_t mbi, struct boot_info *bi,
		    const char **why);

extern char __kernel_start[], __kernel_end[];

/* The loader's framebuffer (multiboot flag 12, RGB type only): width 0 when
 * none was given. `base` is not mapped; the video code maps `phys`. */
struct fb;
extern struct fb x86_multiboot_fb;
/* Put the console on x86_multiboot_fb (mapped through a DMA window) in
 * place of the VGA text screen: false if there is none or it is unusable.
 * The VBE fallback (console.c). */
bool x86_video_use_multiboot_fb(void);

#endif
