# Example programs: C compiled by clang to wasm32-wasi with Debian's
# wasi-libc, packed into $(O)/programs.tar (ustar), the ramdisk the x86 ISO
# and the ARM U-Boot disk carry. Built when clang can target wasm32-wasi.
WASI_CC := clang --target=wasm32-wasi --sysroot=/usr -fuse-ld=/usr/bin/wasm-ld-14
WASI_CFLAGS := -O2 -Wall -Wextra -Werror
PROGRAMS := $(sort $(wildcard programs/*.c))
PROGRAM_WASM := $(patsubst programs/%.c,$(O)/programs/%.wasm,$(PROGRAMS))
HAVE_WASI := $(wildcard /usr/lib/wasm32-wasi/libc.a)

$(O)/programs/%.wasm: programs/%.c
	@echo "  WASM    $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(WASI_CC) $(WASI_CFLAGS) -o $@ $< -lm

# Names inside the archive are the bare program names, as `run` takes them.
$(O)/programs.tar: $(PROGRAM_WASM)
	@echo "  TAR     $@"
	$(Q)tar --format=ustar --owner=0 --group=0 -C $(O)/programs -cf $@ \
		$(notdir $(PROGRAM_WASM))

.PHONY: programs
ifneq ($(HAVE_WASI),)
programs: $(O)/programs.tar
else
programs:
	@echo "programs: wasi-libc is missing (scripts/install-deps installs it)"
endif
