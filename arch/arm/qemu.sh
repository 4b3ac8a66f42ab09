# QEMU machine for ARM (sourced by scripts/qemu): virt, Cortex-A15.
# Semihosting is always on: the kernel's test exit (SYS_EXIT_EXTENDED) makes
# QEMU exit with the kernel's status. Without it the kernel falls back to
# PSCI SYSTEM_OFF, which exits 0 whatever the status.

arch_qemu_setup() {
	QEMU=qemu-system-arm
	QEMU_ARGS=(-M virt -cpu cortex-a15 -semihosting)
	case "$1" in
	kernel)
		QEMU_ARGS+=(-kernel "$o/kernel.bin" -append "$cmdline")
		if [ ${#initrds[@]} -gt 1 ]; then
			echo "scripts/qemu: ARM takes one --initrd, not ${#initrds[@]}" >&2
			exit 2
		fi
		if [ ${#initrds[@]} = 1 ]; then
			QEMU_ARGS+=(-initrd "${initrds[0]}")
		fi
		;;
	uboot)
		# A copy of the disk with this run's command line (and initrd); the
		# FAT partition starts at 1 MiB (arch/arm/mkdisk).
		local disk="$tmpdir/uboot-disk.img"
		cp "$o/uboot-disk.img" "$disk"
		printf 'bootargs=%s\n' "$cmdline" > "$tmpdir/cmdline.txt"
		mcopy -o -i "$disk@@1M" "$tmpdir/cmdline.txt" ::/cmdline.txt
		if [ ${#initrds[@]} -gt 1 ]; then
			echo "scripts/qemu: ARM takes one --initrd, not ${#initrds[@]}" >&2
			exit 2
		fi
		if [ ${#initrds[@]} = 1 ]; then
			mcopy -o -i "$disk@@1M" "${initrds[0]}" ::/initrd
		fi
		QEMU_ARGS+=(-bios /usr/lib/u-boot/qemu_arm/u-boot.bin
			-drive "if=none,file=$disk,format=raw,id=hd"
			-device virtio-blk-device,drive=hd)
		;;
	*) echo "scripts/qemu: arm boot method is kernel or uboot, not '$1'" >&2
	   exit 2 ;;
	esac
}

# Semihosting SYS_EXIT_EXTENDED passes the kernel's status straight through
# as QEMU's exit code. QEMU's own failures also exit 1, indistinguishable
# from a failed test run; the serial log tells them apart.
arch_exit_status() {
	exit "$1"
}

# Deliberate faults (crash=KIND) this port reports, checked by scripts/check.
ARCH_CRASH_KINDS="null undef stack"

# Memory sizes make check boots with `test` besides the default 128M.
ARCH_TEST_MEM_SIZES="64M 256M 1G"

# A --disk image (scripts/qemu): virtio-blk on a virtio-mmio slot, version 2
# (QEMU 7.2 makes virtio-mmio legacy unless told otherwise).
ARCH_DISK_DEVICE=(-global virtio-mmio.force-legacy=false
	-device virtio-blk-device,drive=d0)
