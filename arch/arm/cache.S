/*
 * arm_dcache_invalidate_all: invalidate (discard, not clean) every data and
 * unified cache line up to the Level of Coherency, by set/way, walking
 * CLIDR/CCSIDR as the ARMv7 ARM describes. Used once, before the MMU and
 * the D-cache are turned on: whatever a loader or reset left in the cache
 * must not shadow the memory we wrote with the cache off (the boot
 * protocol hands over with the D-cache off and clean). QEMU does not model
 * caches; real hardware needs this.
 *
 * arm_dcache_invalidate_l1: the same for level 1 only, for a secondary core
 * before it turns on its caches (secondary.S): its own L1 may hold junk
 * from reset, while the levels beyond are shared with the running cores
 * and hold their dirty data, which must not be discarded. Uses no stack
 * (there is none yet) and clobbers r0-r5, r7, r9-r12.
 */
	.syntax unified
	.arm
	.text

	.globl arm_dcache_invalidate_all
	.type arm_dcache_invalidate_all, %function
arm_dcache_invalidate_all:
	push	{r4-r12, lr}
	dmb
	mrc	p15, 1, r0, c0, c0, 1	/* CLIDR */
	ands	r3, r0, #0x7000000
	mov	r3, r3, lsr #23		/* LoC * 2 */
	blne	invalidate_levels
	pop	{r4-r12, pc}
	.size arm_dcache_invalidate_all, . - arm_dcache_invalidate_all

	.globl arm_dcache_invalidate_l1
	.type arm_dcache_invalidate_l1, %function
arm_dcache_invalidate_l1:
	mov	r12, lr
	dmb
	mrc	p15, 1, r0, c0, c0, 1	/* CLIDR */
	mov	r3, #2			/* level 1 only */
	bl	invalidate_levels
	bx	r12
	.size arm_dcache_invalidate_l1, . - arm_dcache_invalidate_l1

/* r0 = CLIDR, r3 = (last level + 1) * 2. No stack; clobbers r0-r5, r7,
 * r9-r11. */
invalidate_levels:
	mov	r10, #0			/* level * 2, as CSSELR wants it */
level:
	add	r2, r10, r10, lsr #1	/* level * 3 */
	mov	r1, r0, lsr r2
	and	r1, r1, #7		/* cache type at this level */
	cmp	r1, #2
	blt	next_level		/* no data cache here */
	mcr	p15, 2, r10, c0, c0, 0	/* CSSELR: this level's D-cache */
	isb
	mrc	p15, 1, r1, c0, c0, 0	/* CCSIDR */
	and	r2, r1, #7
	add	r2, r2, #4		/* log2(line bytes): set shift */
	movw	r4, #0x3ff
	ands	r4, r4, r1, lsr #3	/* ways - 1 */
	clz	r5, r4			/* way shift */
	movw	r7, #0x7fff
	ands	r7, r7, r1, lsr #13	/* sets - 1 */
way:
	mov	r9, r7
set:
	orr	r11, r10, r4, lsl r5
	orr	r11, r11, r9, lsl r2
	mcr	p15, 0, r11, c7, c6, 2	/* DCISW */
	subs	r9, r9, #1
	bge	set
	subs	r4, r4, #1
	bge	way
next_level:
	add	r10, r10, #2
	cmp	r3, r10
	bgt	level
	mov	r10, #0
	mcr	p15, 2, r10, c0, c0, 0	/* CSSELR back to level 1 */
	dsb
	isb
	bx	lr
