# SPDX-License-Identifier: GPL-2.0
#
# A thin wrapper around Kbuild, plus the project's own targets.
# KDIR: the running kernel's build tree when there is one, otherwise the
# headers of the test host's default kernel (Debian's 6.1 cloud kernel).

KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
		    $(shell scripts/kernel 6.1 headers 2>/dev/null))
PREFIX ?= /usr

all: modules

modules:
	@test -n "$(KDIR)" || { echo "no kernel headers found: run scripts/setup or pass KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	@test -z "$(KDIR)" || $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -f scripts/mlra scripts/mlra-model scripts/mlra-trace scripts/mlra-gen scripts/mlra-sim scripts/mlra-train

install: modules install-tools
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	depmod -a

# The mlra command, mlra(8), the helpers it runs (trainer, simulator) and
# the committed families it trains with.
install-tools: scripts/mlra scripts/mlra-train scripts/mlra-sim
	install -D -m 0755 scripts/mlra $(DESTDIR)$(PREFIX)/sbin/mlra
	install -D -m 0755 scripts/mlra-train $(DESTDIR)$(PREFIX)/lib/mlra/mlra-train
	install -D -m 0755 scripts/mlra-sim $(DESTDIR)$(PREFIX)/lib/mlra/mlra-sim
	install -D -m 0644 Documentation/mlra.8 $(DESTDIR)$(PREFIX)/share/man/man8/mlra.8
	install -d $(DESTDIR)$(PREFIX)/share/mlra/traces
	install -m 0644 scripts/training/traces/*.bin.xz $(DESTDIR)$(PREFIX)/share/mlra/traces/

# mlra-dkms and mlra-tools, built in the cache (scripts/package deb).
deb:
	scripts/package deb

dkms-install:
	install -d $(DESTDIR)$(PREFIX)/src/mlra-0.1.0
	cp -a Kbuild Kconfig Makefile dkms.conf src include $(DESTDIR)$(PREFIX)/src/mlra-0.1.0/

# Host tools, built from the module's own pure C files. Code generation as
# in the kernel (no FPU or vector registers, no auto-vectorisation), so that
# `mlra-model bench` counts what the module runs.
HOSTCC ?= cc
# HOST_EXTRA_CFLAGS: for example -g (debian/rules), which changes no code.
HOST_CFLAGS := -O2 -Wall -Wextra -Werror -mgeneral-regs-only -fno-tree-vectorize -Iinclude \
	$(HOST_EXTRA_CFLAGS)
MODEL_SRCS := src/model.c src/infer.c src/model_build.c src/features.c \
	src/policy.c scripts/crc32.c

tools: scripts/mlra scripts/mlra-model scripts/mlra-trace scripts/mlra-gen \
	scripts/mlra-sim scripts/mlra-train

scripts/mlra-model: scripts/mlra-model.c $(MODEL_SRCS) $(wildcard include/mlra/*.h include/uapi/linux/*.h)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ scripts/mlra-model.c $(MODEL_SRCS)

# The simulator and trainer compute in floating point: host code only.
SIM_CFLAGS := -O2 -Wall -Wextra -Werror -Iinclude $(HOST_EXTRA_CFLAGS)
SIM_SRCS := scripts/sim.c scripts/access_log.c src/model.c src/infer.c \
	src/features.c src/policy.c scripts/crc32.c

scripts/mlra-sim: scripts/mlra-sim.c $(SIM_SRCS) scripts/sim.h scripts/access_log.h $(wildcard include/mlra/*.h include/uapi/linux/*.h)
	$(HOSTCC) $(SIM_CFLAGS) -o $@ scripts/mlra-sim.c $(SIM_SRCS) -lm

scripts/mlra-train: scripts/mlra-train.c $(SIM_SRCS) src/model_build.c scripts/sim.h scripts/access_log.h $(wildcard include/mlra/*.h include/uapi/linux/*.h)
	$(HOSTCC) $(SIM_CFLAGS) -o $@ scripts/mlra-train.c $(SIM_SRCS) src/model_build.c -lm

# The administrator's command, mlra(8): no kernel code generation needed.
MLRA_SRCS := scripts/mlra.c scripts/access_log.c src/model.c src/infer.c \
	src/features.c src/policy.c src/default_model.c scripts/crc32.c

scripts/mlra: $(MLRA_SRCS) scripts/access_log.h $(wildcard include/mlra/*.h include/uapi/linux/*.h)
	$(HOSTCC) $(SIM_CFLAGS) -o $@ $(MLRA_SRCS)

scripts/mlra-gen: scripts/mlra-gen.c
	$(HOSTCC) $(HOST_CFLAGS) -o $@ scripts/mlra-gen.c

scripts/mlra-trace: scripts/mlra-trace.c scripts/access_log.c scripts/access_log.h include/uapi/linux/mlra_log.h
	$(HOSTCC) $(HOST_CFLAGS) -o $@ scripts/mlra-trace.c scripts/access_log.c

# The kernel's style, sparse and W=1, exactly as `make check` runs them.
style:
	scripts/check style

sparse:
	scripts/check build

kunit:
	scripts/kunit

check:
	scripts/check

# The stress suite at full size on the debug test host (make check runs a
# bounded one).
stress:
	scripts/check stress

# The model parser's fuzzer for longer than `make check` runs it.
FUZZ_SECONDS ?= 1800
fuzz:
	scripts/fuzz $(FUZZ_SECONDS)

# Instructions and allocations per inference (callgrind, memcheck).
bench-infer:
	scripts/bench-infer

# Boot the test host and run CMD there (default: show mlra's state).
CMD ?= cat /sys/kernel/mm/mlra/mode /sys/kernel/debug/mlra/stats
vm:
	scripts/vm -- $(CMD)

demo:
	scripts/demo

# The default model from the committed traces (scripts/training/).
model:
	scripts/model

# Fresh traces from the test host (then make model).
traces:
	scripts/families capture

.PHONY: all modules clean install install-tools deb dkms-install tools style sparse kunit check stress \
	fuzz bench-infer vm demo model traces
