# Drivers are chosen by Kconfig symbols the architecture selects.
KSRCS-y :=
KSRCS-$(CONFIG_DRIVER_UART16550) += drivers/uart16550.c
KSRCS-$(CONFIG_DRIVER_PL011) += drivers/pl011.c
KSRCS-$(CONFIG_DRIVER_FB) += drivers/fb.c drivers/fbcon.c drivers/fb_layout.c \
	$(O)/gen/font8x16.c
KSRCS += $(KSRCS-y)

# The console font, converted from a PSF console font at build time.
FONT_PSF ?= /usr/share/consolefonts/Lat15-VGA16.psf.gz
$(O)/gen/font8x16.c: drivers/fontgen.py
	@echo "  FONT    $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)python3 drivers/fontgen.py $(FONT_PSF) > $@.tmp && mv $@.tmp $@
