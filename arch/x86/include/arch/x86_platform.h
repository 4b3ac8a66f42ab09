/*
 * What the i686 CPU code (arch/x86) needs from the board it runs on, and
 * what the board may use of the CPU code. The PC (platform/pc) implements
 * it; a new x86 board implements the same functions (arch/PORTING.md).
 */
#ifndef ARCH_X86_PLATFORM_H
#define ARCH_X86_PLATFORM_H

#include <arch/boot.h>
#include <stdbool.h>
#include <stdint.h>

/* The interrupt controller: bring-up, masking, end of interrupt, and the
 * dispatcher isr.S's IRQ stubs call with the line number. */
void pic_init(void);
void pic_mask(unsigned irq);
void pic_unmask(unsigned irq);
void pic_eoi(unsigned irq);
void x86_irq_dispatch(unsigned irq);

/* The local APICs' physical address as the firmware's table gives it (the
 * ACPI MADT, else the MP tables), or 0 when none was read: the SMP code
 * then takes the IA32_APIC_BASE MSR's. */
uint64_t x86_platform_lapic_base(void);

/* Busy-wait `ms` (1..50) measured by the board's own reference clock
 * (the PC: PIT channel 2 as a one-shot, polled), IRQs off: other timers
 * are calibrated by reading them just before and after. 0, -EINVAL, or
 * -EIO if the clock did not run out within about a second. */
int x86_platform_pit_wait_ms(unsigned ms);

/* The early console (serial, and the screen when configured). */
void x86_console_init(void);

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002u

/*
 * Parse the multiboot information at `mbi` (identity-mapped physical
 * address) into `bi`. Returns 0, or -EINVAL for a bad magic, -ENOENT when
 * there is no memory map; `why` then names the problem for the message.
 */
int multiboot_parse(uint32_t magic, uintptr_t mbi, struct boot_info *bi,
		    const char **why);

/* The image's bounds, from the linker script. */
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
