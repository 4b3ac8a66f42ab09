/*
 * The memory the kheap suites build their test heaps in: one region for
 * both files (their cases run one at a time), so the kernel image carries
 * it once (256 KiB more of image cost the 32 MiB x86 boot its program
 * suite).
 */
#ifndef TESTS_KHEAP_REGION_H
#define TESTS_KHEAP_REGION_H

#define KHEAP_TEST_REGION_SIZE (512 * 1024)
extern unsigned char kheap_test_region[KHEAP_TEST_REGION_SIZE];

#endif
