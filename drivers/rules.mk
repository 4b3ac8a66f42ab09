# Drivers are chosen by Kconfig symbols the architecture selects.
KSRCS-y :=
KSRCS-$(CONFIG_DRIVER_UART16550) += drivers/uart16550.c
KSRCS-$(CONFIG_DRIVER_VGA_TEXT) += drivers/vga_text.c
KSRCS-$(CONFIG_DRIVER_PL011) += drivers/pl011.c
KSRCS += $(KSRCS-y)
