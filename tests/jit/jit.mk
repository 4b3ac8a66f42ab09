# The compiler backends' encoders checked against binutils' objdump:
#
#   make jit-encode-check [O=DIR]
#
# For each tests/jit/<isa>_forms.c, a host program built from it (with
# its parts tests/jit/<isa>_forms_*.c), the forms frame and
# vm/jit/<isa>/*.c writes every form the encoder emits;
# scripts/check-jit-encoders disassembles them and compares
# (tests/jit/README.md).

JIT_ISAS := $(patsubst tests/jit/%_forms.c,%,$(wildcard tests/jit/*_forms.c))
JIT_FORMS := $(foreach i,$(JIT_ISAS),$(O)/host/jit-forms-$(i))
JIT_SRCS := $(wildcard vm/jit/*.h vm/jit/*/*.c vm/jit/*/*.h)
# A backend's encoder: its sources but the translation (x86_translate*.c,
# which needs the driver and the VM).
jit_encoder_srcs = $(filter-out %_translate.c \
	$(wildcard vm/jit/$(1)/*_translate_*.c),$(wildcard vm/jit/$(1)/*.c))

$(O)/host/jit-forms-%: tests/jit/%_forms.c tests/jit/forms.c \
		tests/jit/forms.h $(wildcard tests/jit/*_forms_*.c \
		tests/jit/*_forms.h) $(JIT_SRCS)
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Ivm/jit/$* -o $@ tests/jit/$*_forms.c \
		$(wildcard tests/jit/$*_forms_*.c) tests/jit/forms.c \
		$(call jit_encoder_srcs,$*)

.PHONY: jit-encode-check
jit-encode-check: $(JIT_FORMS)
	$(Q)status=0; \
	for isa in $(JIT_ISAS); do \
		scripts/check-jit-encoders $$isa $(O)/host/jit-forms-$$isa \
			$(O)/host/jit || status=1; \
	done; \
	[ -n "$(JIT_ISAS)" ] || echo "jit-encode: no forms programs"; \
	exit $$status
