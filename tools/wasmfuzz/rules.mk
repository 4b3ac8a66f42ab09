# The ramdisk of the kernel's `fuzz` boot (docs/vm.md, "The fuzz boot"):
# the example programs and every file of the fuzz corpora, each under its
# folder's name (programs/hello.wasm, corpus/add.wasm, ...), so that files
# of the same name in two corpora stay apart. `make fuzz-ramdisk` builds
# $(O)/fuzz.tar; scripts/check boots it on both arches. A corpus folder
# joins by being listed here (or given on the command line).
FUZZ_CORPUS_DIRS ?= $(wildcard tools/wasmfuzz/corpus tools/wasmfuzz/corpus-run)
FUZZ_TAR := $(O)/fuzz.tar
FUZZ_PROGRAMS := $(if $(HAVE_WASI),$(PROGRAM_WASM))

# `-C PARENT FOLDER/FILE...` for the files $(2) of folder $(1) (absolute,
# as tar's -C options are cumulative).
fuzz_tar_dir = -C $(abspath $(dir $(1))) $(patsubst $(dir $(1))%,%,$(2))

$(FUZZ_TAR): $(foreach d,$(FUZZ_CORPUS_DIRS),$(wildcard $(d)/*)) \
	$(FUZZ_PROGRAMS) tools/wasmfuzz/rules.mk
	@echo "  TAR     $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)tar --format=ustar --owner=0 --group=0 -cf $@ \
		$(if $(FUZZ_PROGRAMS),$(call fuzz_tar_dir,$(O)/programs,$(FUZZ_PROGRAMS))) \
		$(foreach d,$(FUZZ_CORPUS_DIRS),$(call fuzz_tar_dir,$(d),$(sort $(wildcard $(d)/*))))

.PHONY: fuzz-ramdisk
fuzz-ramdisk: $(FUZZ_TAR)
