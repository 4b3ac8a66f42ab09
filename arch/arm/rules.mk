# ARMv7-A on QEMU virt: sources, the linker script, and the boot images.
KSRCS += arch/arm/entry.S arch/arm/vectors.S arch/arm/context.S \
	arch/arm/fpu.S arch/arm/cache.S arch/arm/start.c \
	arch/arm/exception.c arch/arm/timer.c arch/arm/ops.c \
	arch/arm/mmu.c arch/arm/thread.c arch/arm/aeabi.c \
	arch/arm/probe.S arch/arm/smp.c arch/arm/secondary.S
KSRCS += $(if $(filter y,$(CONFIG_KTEST)),$(sort $(wildcard arch/arm/tests/*.c)))

ARCH_LDSCRIPT := arch/arm/kernel.ld
ARCH_IMAGES := $(O)/kernel.bin $(O)/uboot-disk.img
ARCH_RUN_BOOT := uboot

# The raw image QEMU's -kernel and U-Boot's bootz load (zImage header at
# offset 0, see entry.S).
$(O)/kernel.bin: $(O)/kernel.elf
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -O binary $< $@

# U-Boot's distro boot scans virtio0's partitions for /boot.scr (see
# arch/arm/mkdisk); the script imports cmdline.txt, so harnesses swap the
# command line with `mcopy -o` on a copy of this disk.
$(O)/boot.scr: arch/arm/boot.cmd
	@echo "  MKIMAGE $@"
	$(Q)mkimage -A arm -O linux -T script -C none -n "flatkernel boot" \
		-d $< $@ >/dev/null

$(O)/cmdline.txt: $(KCONFIG_CONFIG)
	$(Q)printf 'bootargs=%s\n' "$(patsubst "%",%,$(CONFIG_CMDLINE))" > $@

# The programs' archive rides along as the disk's `initrd` (the ramdisk)
# when the programs can be built.
UBOOT_INITRD := $(if $(HAVE_WASI),$(O)/initrd)

$(O)/initrd: $(O)/programs.tar
	$(Q)cp $< $@

$(O)/uboot-disk.img: $(O)/kernel.bin $(O)/boot.scr $(O)/cmdline.txt arch/arm/mkdisk \
		$(UBOOT_INITRD)
	@echo "  DISK    $@"
	$(Q)arch/arm/mkdisk $@.tmp $(O)/kernel.bin $(O)/boot.scr $(O)/cmdline.txt \
		$(UBOOT_INITRD)
	$(Q)mv $@.tmp $@
