KSRCS += arch/x86/entry.S arch/x86/isr.S arch/x86/context.S \
	arch/x86/start.c arch/x86/gdt.c arch/x86/idt.c arch/x86/trap.c \
	arch/x86/ops.c arch/x86/mmu.c arch/x86/thread.c \
	arch/x86/probe.S arch/x86/vm86.c arch/x86/vm86_entry.S
# With SMP the local APIC, the AP trampoline and the shootdown; without, the
# one-CPU forms of <arch/smp.h>.
KSRCS += $(if $(filter y,$(CONFIG_SMP)),arch/x86/smp.c arch/x86/lapic.c \
	arch/x86/trampoline.S,arch/x86/smp_up.c)
KSRCS += $(if $(filter y,$(CONFIG_KTEST)),$(sort $(wildcard arch/x86/tests/*.c)))

ARCH_LDSCRIPT := arch/x86/kernel.ld
ARCH_IMAGES := $(O)/os.iso
ARCH_RUN_BOOT := iso

# The CD carries the programs' archive as its ramdisk when they can be built.
ISO_RAMDISK := $(if $(HAVE_WASI),$(O)/programs.tar)

$(O)/os.iso: $(O)/kernel.elf scripts/mkiso $(ISO_RAMDISK)
	@echo "  ISO     $@"
	$(Q)scripts/mkiso $(O)/kernel.elf $@ "$(patsubst "%",%,$(CONFIG_CMDLINE))" \
		$(ISO_RAMDISK)
