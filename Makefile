# SPDX-License-Identifier: BSD-3-Clause
# procap: one non-recursive Makefile; every output goes under $(OUT).
#   make deps       install missing Debian build dependencies (root, apt-get)
#   make            build build/procap (only checks dependencies)
#   make test       unit + golden under ASan/UBSan, then bpf + e2e (root) with the normal build
#   make SAN=1      sanitizer build into build-san/
#   make image      container image localhost/procap:latest (podman or docker import, offline)
#   make fuzz       libFuzzer targets, FUZZ_TIME seconds each
.DELETE_ON_ERROR:
.SECONDARY:

SAN ?= 0
ifeq ($(SAN),1)
OUT ?= build-san
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LTO :=
else
OUT ?= build
SAN_FLAGS :=
# Link-time optimisation: a captured packet crosses a dozen files (ring record, owner,
# dissectors, comment, pcapng block), and inlining across them took 9% of the instructions
# procap spends on it (callgrind, bench/README.md). gcc-ar keeps the archive's LTO symbols.
LTO := -flto=auto
endif
AR := $(if $(LTO),gcc-ar,ar)

CC ?= gcc
CLANG ?= clang
BPFTOOL ?= $(shell command -v bpftool 2>/dev/null || echo /usr/sbin/bpftool)
LLVM_STRIP ?= llvm-strip
PREFIX ?= /usr/local
DESTDIR ?=
FUZZ_TIME ?= 60
ARCH := $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/;s/ppc64le/powerpc/;s/mips.*/mips/;s/arm.*/arm/;s/riscv64/riscv/')

V ?= 0
ifeq ($(V),1)
Q :=
msg =
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
	-Wundef -Wvla -Wpointer-arith -Wno-unused-parameter
CFLAGS ?= -O2 -g
ifeq ($(SAN),1)
HARDEN :=
else
HARDEN := -D_FORTIFY_SOURCE=2 -fstack-protector-strong
endif
# The tree follows the data flow (docs/ARCHITECTURE.md): src/live and src/input produce packets,
# dissectors/ parse them, src/print and src/sink consume them, src/filter compiles filters.
SRC_DIRS := src src/input src/live src/filter src/print src/sink src/extcap dissectors
ALL_CFLAGS := -std=gnu11 $(CFLAGS) $(LTO) $(WARN) $(HARDEN) $(SAN_FLAGS) $(addprefix -I,$(SRC_DIRS)) -Ibpf \
	-I$(OUT)/bpf $(EXTRA_CFLAGS)
LDLIBS := $(shell pkg-config --libs libbpf 2>/dev/null || echo -lbpf) -lelf -lpcap -lcrypto -lz
ALL_LDFLAGS := $(SAN_FLAGS) $(LTO) $(EXTRA_LDFLAGS)

CLANG_BPF_SYS_INCLUDES ?= $(shell $(CLANG) -v -E - </dev/null 2>&1 | sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror \
	-Ibpf -Ibpf/vmlinux/$(ARCH) $(CLANG_BPF_SYS_INCLUDES)

LIB_SRCS := $(filter-out src/main.c,$(foreach d,$(SRC_DIRS),$(wildcard $(d)/*.c)))
LIB_OBJS := $(patsubst %.c,$(OUT)/obj/%.o,$(LIB_SRCS))
BPF_SRCS := $(wildcard bpf/*.bpf.c)
BPF_OBJS := $(patsubst bpf/%.bpf.c,$(OUT)/bpf/%.bpf.o,$(BPF_SRCS))
SKELS := $(patsubst bpf/%.bpf.c,$(OUT)/bpf/%.skel.h,$(BPF_SRCS))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(OUT)/tests/unit/%,$(UNIT_SRCS))
BPFT_SRCS := $(wildcard tests/bpf/test_*.c)
BPFT_BINS := $(patsubst tests/bpf/%.c,$(OUT)/tests/bpf/%,$(BPFT_SRCS))
TOOL_SRCS := $(wildcard tests/tools/*.c)
TOOL_BINS := $(patsubst tests/tools/%.c,$(OUT)/tests/tools/%,$(TOOL_SRCS))
DEPS_STAMP := $(OUT)/.deps-ok

.PHONY: all deps test test-deps test-unit test-golden test-bpf test-e2e test-fuzz unit-bins bpf-bins fuzz bench \
	vmlinux lint install clean update-golden

all: $(OUT)/procap

# `make deps` installs what is missing (root, apt-get); the build itself only checks and says
# which apt-get line would help.
deps:
	$(Q)scripts/deps.sh --install build
$(DEPS_STAMP): scripts/deps.sh
	$(Q)mkdir -p $(OUT)
	$(Q)scripts/deps.sh build
	$(Q)touch $@

$(OUT)/bpf/%.bpf.o: bpf/%.bpf.c | $(DEPS_STAMP)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -MMD -MP -c $< -o $@
	$(Q)$(LLVM_STRIP) -g $@

$(OUT)/bpf/%.skel.h: $(OUT)/bpf/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@

$(OUT)/obj/%.o: %.c | $(DEPS_STAMP) $(SKELS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(OUT)/libprocap.a: $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(OUT)/procap: $(OUT)/obj/src/main.o $(OUT)/libprocap.a
	$(call msg,LINK,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

$(OUT)/tests/unit/%: tests/unit/%.c $(OUT)/libprocap.a tests/check.h
	$(call msg,TEST,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -Itests -MMD -MP $(ALL_LDFLAGS) -o $@ $< $(OUT)/libprocap.a $(LDLIBS)

$(OUT)/tests/bpf/%: tests/bpf/%.c $(OUT)/libprocap.a tests/check.h
	$(call msg,TEST,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -Itests -MMD -MP $(ALL_LDFLAGS) -o $@ $< $(OUT)/libprocap.a $(LDLIBS)

$(OUT)/tests/tools/%: tests/tools/%.c $(OUT)/libprocap.a
	$(call msg,TOOL,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -Itests -MMD -MP $(ALL_LDFLAGS) -o $@ $< $(OUT)/libprocap.a $(LDLIBS)

unit-bins: $(UNIT_BINS) $(TOOL_BINS) $(OUT)/procap
bpf-bins: $(BPFT_BINS) $(TOOL_BINS) $(OUT)/procap

# Unit and golden tiers run under ASan+UBSan (build-san/); bpf and e2e use the normal build.
test: test-deps
	$(Q)$(MAKE) --no-print-directory SAN=1 OUT=build-san unit-bins
	$(Q)$(MAKE) --no-print-directory SAN=0 OUT=build bpf-bins
	$(Q)tests/run.sh --san build-san --out build unit golden bpf e2e fuzz

# The reference peers (tcpdump, tshark, openssl, chromium...) the tests compare against.
test-deps:
	$(Q)scripts/deps.sh --install test

test-unit:
	$(Q)$(MAKE) --no-print-directory SAN=1 OUT=build-san unit-bins
	$(Q)tests/run.sh --san build-san --out build unit
test-golden:
	$(Q)$(MAKE) --no-print-directory SAN=1 OUT=build-san unit-bins
	$(Q)tests/run.sh --san build-san --out build golden
test-bpf:
	$(Q)$(MAKE) --no-print-directory SAN=0 OUT=build bpf-bins
	$(Q)tests/run.sh --san build-san --out build bpf
test-e2e:
	$(Q)$(MAKE) --no-print-directory SAN=0 OUT=build bpf-bins
	$(Q)tests/run.sh --san build-san --out build e2e

test-fuzz:
	$(Q)tests/run.sh --san build-san --out build fuzz

update-golden:
	$(Q)$(MAKE) --no-print-directory SAN=0 OUT=build all
	$(Q)tests/golden/update.sh build/procap $(NAME)

fuzz:
	$(Q)tests/fuzz/run.sh $(FUZZ_TIME)

# The benchmark's own helpers (traffic generator, counters) build into $(OUT)/bench/.
BENCH_BINS := $(patsubst bench/%.c,$(OUT)/bench/%,$(wildcard bench/*.c))
.PHONY: bench-bins
bench-bins: $(BENCH_BINS)
$(OUT)/bench/%: bench/%.c
	$(call msg,BENCH,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP $(ALL_LDFLAGS) -o $@ $< -lpcap

bench:
	$(Q)$(MAKE) --no-print-directory SAN=0 OUT=build all bench-bins
	$(Q)bench/run.sh

# IMAGE_TAG=... names it; deploy/procap-daemonset.yaml runs it on every node of a cluster
image: $(OUT)/procap
	$(Q)scripts/image.sh $(OUT) $(or $(IMAGE_TAG),localhost/procap:latest)
.PHONY: image

vmlinux:
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > bpf/vmlinux/$(ARCH)/vmlinux.h

lint:
	cppcheck --quiet --enable=warning,performance,portability --error-exitcode=1 \
		--include=scripts/cppcheck-macros.h $(addprefix -I,$(SRC_DIRS)) src dissectors

# Wireshark (procap(8), WIRESHARK): procap is its own extcap, linked from Wireshark's extcap
# folder; the Lua plugin goes to the global Lua plugin folder. Both as this Wireshark reports them
# (Debian 12: /usr/lib/x86_64-linux-gnu/wireshark/{extcap,plugins}); override to relocate.
WIRESHARK_LIBDIR = /usr/lib/$(shell $(CC) -print-multiarch 2>/dev/null)/wireshark
WIRESHARK_FOLDER = $(shell tshark -G folders 2>/dev/null | sed -n 's/^$(1):[[:space:]]*//p')
WIRESHARK_EXTCAP_DIR ?= $(or $(call WIRESHARK_FOLDER,Extcap path),$(WIRESHARK_LIBDIR)/extcap)
WIRESHARK_LUA_DIR ?= $(or $(call WIRESHARK_FOLDER,Global Lua Plugins),$(WIRESHARK_LIBDIR)/plugins)

install: $(OUT)/procap
	install -D -m 0755 $(OUT)/procap $(DESTDIR)$(PREFIX)/sbin/procap
	install -D -m 0644 man/procap.8 $(DESTDIR)$(PREFIX)/share/man/man8/procap.8
	install -d $(DESTDIR)$(WIRESHARK_EXTCAP_DIR)
	ln -sfr $(DESTDIR)$(PREFIX)/sbin/procap $(DESTDIR)$(WIRESHARK_EXTCAP_DIR)/procap
	install -D -m 0644 wireshark/procap.lua $(DESTDIR)$(WIRESHARK_LUA_DIR)/procap.lua

clean:
	rm -rf build build-san build-fuzz build-*

-include $(shell find $(OUT) -name '*.d' 2>/dev/null)
