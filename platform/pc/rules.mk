# platform/pc: the BIOS PC under the i686 CPU.
PC-y := platform/pc/pic.c platform/pc/pit.c platform/pc/multiboot.c \
	platform/pc/console.c platform/pc/uart_pio.c platform/pc/power.c \
	platform/pc/cpus.c platform/pc/pci.c
PC-$(CONFIG_DRIVER_VGA_TEXT) += platform/pc/vga_text.c
PC-$(CONFIG_DRIVER_PS2KBD) += platform/pc/ps2kbd.c
PC-$(CONFIG_X86_VESA) += platform/pc/vesa.c

# The PC's in-kernel tests, each with the code it tests.
PC_TESTS-y := platform/pc/tests/multiboot_test.c \
	platform/pc/tests/bios_video_test.c
PC_TESTS-$(CONFIG_DRIVER_VGA_TEXT) += platform/pc/tests/vga_window_test.c
PC_TESTS-$(CONFIG_DRIVER_PS2KBD) += platform/pc/tests/ps2kbd_test.c
PC_TESTS-$(CONFIG_X86_VESA) += platform/pc/tests/vesa_test.c \
	platform/pc/tests/vesa_fallback_test.c
PC-$(CONFIG_KTEST) += $(PC_TESTS-y)

KSRCS += $(PC-y)
