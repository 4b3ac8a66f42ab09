# U-Boot script for flatkernel (made into boot.scr by mkimage -T script).
# U-Boot's distro boot finds it on the virtio disk and runs it with devtype,
# devnum and distro_bootpart set. cmdline.txt holds "bootargs=..." (env
# import -t text), so the command line changes without rebuilding this.
# Addresses: qemu_arm's defaults (kernel_addr_r 0x40400000, ramdisk_addr_r
# 0x44000000, fdt_addr 0x40000000 = QEMU's DTB, left in place since
# fdt_high is 0xffffffff). cmdline.txt goes to kernel_addr_r first, not
# scriptaddr, which holds this script while it runs.
echo "flatkernel: booting from ${devtype} ${devnum}:${distro_bootpart}"
setenv bootargs
if load ${devtype} ${devnum}:${distro_bootpart} ${kernel_addr_r} cmdline.txt; then
	env import -t ${kernel_addr_r} ${filesize}
fi
load ${devtype} ${devnum}:${distro_bootpart} ${kernel_addr_r} kernel.bin
if test -e ${devtype} ${devnum}:${distro_bootpart} initrd; then
	# ramdisk_addr_r is the end of RAM with -m 64M: then use 0x41000000,
	# just above the kernel's limit (arch/arm/kernel.ld).
	setenv initrd_addr ${ramdisk_addr_r}
	if load ${devtype} ${devnum}:${distro_bootpart} ${initrd_addr} initrd; then
		true
	else
		setenv initrd_addr 0x41000000
		load ${devtype} ${devnum}:${distro_bootpart} ${initrd_addr} initrd
	fi
	bootz ${kernel_addr_r} ${initrd_addr}:${filesize} ${fdt_addr}
else
	bootz ${kernel_addr_r} - ${fdt_addr}
fi
echo "flatkernel: bootz failed"
