# QEMU machine for x86 (sourced by scripts/qemu).
# isa-debug-exit at 0xf4: the kernel writes its status there and QEMU exits
# with status*2+1, so every code QEMU itself uses (0, 1) is distinguishable.

arch_qemu_setup() {
	QEMU=qemu-system-i386
	QEMU_ARGS=(-device isa-debug-exit,iobase=0xf4,iosize=0x04 -vga std)
	case "$1" in
	kernel)
		QEMU_ARGS+=(-kernel "$o/kernel.elf" -append "$cmdline")
		if [ ${#initrds[@]} -gt 0 ]; then
			local IFS=,
			QEMU_ARGS+=(-initrd "${initrds[*]}")
		fi
		;;
	iso)
		# A CD made for this run, so the command line can be chosen;
		# like $o/os.iso it carries the programs as its ramdisk unless
		# other modules are given.
		if [ ${#initrds[@]} = 0 ] && [ -f "$o/programs.tar" ]; then
			initrds=("$o/programs.tar")
		fi
		"$here/scripts/mkiso" "$o/kernel.elf" "$tmpdir/run.iso" \
			"$cmdline" "${initrds[@]}" >/dev/null
		QEMU_ARGS+=(-cdrom "$tmpdir/run.iso" -boot d)
		;;
	*) echo "scripts/qemu: x86 boot method is kernel or iso, not '$1'" >&2
	   exit 2 ;;
	esac
}

arch_exit_status() {
	local code=$1
	if [ $((code % 2)) = 1 ]; then
		exit $(((code - 1) / 2))
	fi
	# 0: QEMU exited without the kernel's exit device (e.g. poweroff).
	echo "scripts/qemu: QEMU exited with $code without a kernel status" >&2
	exit 125
}

# Deliberate faults (crash=KIND) this port reports, checked by scripts/check.
ARCH_CRASH_KINDS="null undef stack"

# Memory sizes make check boots with `test` besides the default 128M. The
# smallest is 36M: the program suite runs three programs at once, each
# thread with 2 MiB of value stack (PROGRAM_STACK_SLOTS), above the
# kernel's 4 MiB reserve; the test kernel of 2026-12-07 (file system,
# virtio, WASI files) leaves 10,564 KiB free at 32M, enough for two.
ARCH_TEST_MEM_SIZES="36M 1G 3G 5G"

# A --disk image (scripts/qemu): virtio-blk on PCI, modern interface only.
ARCH_DISK_DEVICE=(-device virtio-blk-pci,drive=d0,disable-legacy=on)
