/*
 * The PC's video BIOS through the VM86 monitor: INT 10h answers with the
 * text mode the boot left (or a VBE mode, when vga= set one).
 */
#include <arch/vm86.h>
#include <ktest.h>
#ifdef CONFIG_X86_VESA
#include <platform/vesa.h>
#endif

KTEST(vm86, int10_get_video_mode)
{
	struct vm86_regs r = {.eax = 0x0f00};

	KT_ASSERT_EQ(t, vm86_int(0x10, &r), 0);
	ktest_log(t, "INT 10h AH=0Fh: mode %#x, %u columns, page %u",
		  r.eax & 0x7f, (r.eax >> 8) & 0xff, (r.ebx >> 8) & 0xff);
#ifdef CONFIG_X86_VESA
	if (vesa_current()) /* booted with vga=WxHxBPP: a VBE mode */
		KT_SKIP(t, "not in text mode");
#endif
	/* The tests run in the boot text mode (80x25, mode 3). */
	KT_EXPECT_EQ(t, r.eax & 0x7f, 3);
	KT_EXPECT_EQ(t, (r.eax >> 8) & 0xff, 80);
}
