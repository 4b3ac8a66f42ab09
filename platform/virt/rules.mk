# platform/virt: QEMU's ARM virt board under the ARMv7-A CPU.
KSRCS += platform/virt/gic.c platform/virt/dtb.c platform/virt/console.c \
	platform/virt/devices.c
KSRCS += $(if $(filter y,$(CONFIG_KTEST)),$(sort $(wildcard platform/virt/tests/*.c)))
