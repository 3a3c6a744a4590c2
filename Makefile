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

install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	depmod -a

dkms-install:
	install -d $(DESTDIR)$(PREFIX)/src/mlra-0.1.0
	cp -a Kbuild Kconfig Makefile dkms.conf src include $(DESTDIR)$(PREFIX)/src/mlra-0.1.0/

# The kernel's style, sparse and W=1, exactly as `make check` runs them.
style:
	scripts/check style

sparse:
	scripts/check build

kunit:
	scripts/kunit

check:
	scripts/check

# Boot the test host and run CMD there (default: show mlra's state).
CMD ?= cat /sys/kernel/mm/mlra/mode /sys/kernel/debug/mlra/stats
vm:
	scripts/vm -- $(CMD)

demo:
	scripts/demo

.PHONY: all modules clean install dkms-install style sparse kunit check vm demo
