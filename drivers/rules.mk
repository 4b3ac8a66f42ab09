# Drivers are chosen by Kconfig symbols the architecture selects.
KSRCS-y := drivers/blockdev.c drivers/blockdev_cmd.c
KSRCS-$(CONFIG_DRIVER_UART16550) += drivers/uart16550.c
KSRCS-$(CONFIG_DRIVER_PL011) += drivers/pl011.c
KSRCS-$(CONFIG_DRIVER_FB) += drivers/fb.c drivers/fbcon.c drivers/fb_layout.c \
	$(O)/gen/font8x16.c
KSRCS-$(CONFIG_VIRTIO) += drivers/virtio/virtio.c drivers/virtio/virtqueue.c
KSRCS-$(CONFIG_VIRTIO_PCI) += drivers/virtio/virtio_pci.c
KSRCS-$(CONFIG_VIRTIO_MMIO) += drivers/virtio/virtio_mmio.c
KSRCS-$(CONFIG_VIRTIO_BLK) += drivers/virtio/virtio_blk.c
# The virtio suite, with the driver it tests (kernel-only: it needs QEMU's
# disk, scripts/qemu --disk; tests/ may not include drivers/).
ifeq ($(CONFIG_KTEST),y)
KSRCS-$(CONFIG_VIRTIO_BLK) += drivers/virtio/tests/virtio_blk_test.c \
	drivers/virtio/tests/virtio_core_test.c
endif
KSRCS += $(KSRCS-y)

# The console font, converted from a PSF console font at build time.
FONT_PSF ?= /usr/share/consolefonts/Lat15-VGA16.psf.gz
$(O)/gen/font8x16.c: drivers/fontgen.py
	@echo "  FONT    $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)python3 drivers/fontgen.py $(FONT_PSF) > $@.tmp && mv $@.tmp $@
