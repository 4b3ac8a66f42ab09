/*
 * x86_start: from the multiboot entry to kmain(). Order matters: the GDT
 * first (it loads %gs, the per-CPU segment arch_cpu_id and arch_cpu_relax
 * read, which the console's locks may already use; it cannot fail), then
 * the serial line (so everything after can report), then the IDT (so a
 * fault is reported, not a triple fault), then the loader's information,
 * then interrupts controllers and paging.
 */
#include <arch/boot.h>
#include <arch/ops.h>
#include <kernel/printk.h>

#include "x86_internal.h"

static struct boot_info boot_info;

void x86_start(uint32_t magic, uint32_t mbi);
void x86_start(uint32_t magic, uint32_t mbi)
{
	const char *why = "";

	gdt_init();
	x86_console_init();
	idt_init();
	if (multiboot_parse(magic, mbi, &boot_info, &why) < 0) {
		printk("\nboot error: %s (eax=%#x, ebx=%#x).\n"
		       "This kernel must be started by GRUB 2 (multiboot) or "
		       "qemu-system-i386 -kernel. Halting.\n",
		       why, magic, mbi);
		arch_halt();
	}
	pic_init();
	fpu_init();
	mmu_init(&boot_info);
	kmain(&boot_info);
}
