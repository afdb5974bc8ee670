# Kestrel: `make run` boots it in QEMU, `make test` runs every test. Each target
# first installs what is missing (scripts/deps.sh).
KERNEL_TARGET := x86_64-unknown-none
USER_TARGET   := x86_64-unknown-linux-musl
BUILD         := build
KERNEL_ELF    := target/$(KERNEL_TARGET)/kernel/kernel
USER_BINDIR   := target/$(USER_TARGET)/release
USER_PKGS     := $(notdir $(patsubst %/,%,$(wildcard user/*/)))
CTEST_DIR     := $(BUILD)/ctests
# Debian packages: downloaded once into DEBS_DIR (shared by every BUILD).
DEBS_DIR      := build/debs
DEBIAN_ROOT   := $(BUILD)/debian-root
DEBS          ?=
TEST_DEBS     := busybox-static bash-static
DEBIAN_TEST_DEBS := dash coreutils grep sed gawk less nano vim-tiny python3-minimal
MEM           ?= 256M
ARGS          ?=
KVM           ?= 0
OVMF_CODE     := /usr/share/OVMF/OVMF_CODE_4M.fd
OVMF_VARS     := /usr/share/OVMF/OVMF_VARS_4M.fd

# What `make run` and `make run-uefi` add to scripts/run.sh's QEMU command line.
QEMU_EXTRA := $(if $(DISPLAY),,-display none)
ifeq ($(KVM),1)
QEMU_EXTRA += -enable-kvm -cpu host
endif

.PHONY: all deps kernel user ctests debs debian-image initramfs iso run run-uefi debug bochs usb test test-host test-boot lint bench bench-linux bench-check fuzz clean
.DELETE_ON_ERROR:

all: iso

deps:
	@./scripts/deps.sh

kernel: deps
	cargo build -p kestrel-kernel --target $(KERNEL_TARGET) --profile kernel
	@mkdir -p $(BUILD)
	cp $(KERNEL_ELF) $(BUILD)/kernel.elf

user: deps
	cargo build --release --target $(USER_TARGET) $(addprefix -p ,$(USER_PKGS))

# The C test programs (tests/guest-c/, musl and glibc, static) go to /bin as well.
ctests: deps
	./scripts/build-ctests.sh $(CTEST_DIR)

# TEST_DEBS, static programs for the differential tests (tests/differential.rs);
# without them (no apt, offline) the image lacks them and that test says so.
# DEBS, Debian's programs for the image (`make iso DEBS="dash coreutils nano"`)
# with the libraries they need, unpacked into $(DEBIAN_ROOT) (scripts/debian-root.sh).
debs: deps
	@./scripts/fetch-debs.sh $(DEBS_DIR) $(TEST_DEBS) || \
		echo "warning: could not fetch $(TEST_DEBS); the image will not have them" >&2
	@./scripts/debian-root.sh $(DEBS_DIR) $(DEBIAN_ROOT) $(DEBS)

initramfs: user ctests debs
	@mkdir -p $(BUILD)
	./scripts/mkinitramfs.sh $(USER_BINDIR) $(BUILD)/initramfs.cpio $(CTEST_DIR) $(DEBS_DIR) $(DEBIAN_ROOT)

iso: kernel initramfs
	./iso.sh $(BUILD)/kernel.elf $(BUILD)/initramfs.cpio $(BUILD)/os.iso
	@ls -l $(BUILD)/os.iso

$(BUILD)/args.img: FORCE
	@mkdir -p $(BUILD)
	@./scripts/args-disk.sh $@ $(ARGS)
FORCE:

# Serial on this terminal (control keys go to the guest; Ctrl-A x leaves QEMU), the
# screen in a window (or nothing when there is no display); exit status 0 when the
# guest powers off or a test program passes (scripts/run.sh).
run: iso $(BUILD)/args.img
	MEM=$(MEM) ./scripts/run.sh $(BUILD)/os.iso $(BUILD)/args.img $(QEMU_EXTRA)

run-uefi: iso $(BUILD)/args.img
	cp $(OVMF_VARS) $(BUILD)/ovmf-vars.fd
	MEM=$(MEM) ./scripts/run.sh $(BUILD)/os.iso $(BUILD)/args.img $(QEMU_EXTRA) \
		-drive if=pflash,format=raw,readonly=on,file=$(OVMF_CODE) \
		-drive if=pflash,format=raw,file=$(BUILD)/ovmf-vars.fd

# QEMU waits for gdb on :1234; gdb loads build/kernel.elf's symbols (scripts/kestrel.gdb);
# the serial output goes to $(BUILD)/serial.log (the terminal is gdb's).
debug: iso $(BUILD)/args.img
	qemu-system-x86_64 -m $(MEM) -display none -no-reboot -boot d -serial file:$(BUILD)/serial.log \
		-drive file=$(BUILD)/os.iso,media=cdrom,readonly=on,if=ide,index=0 \
		-drive file=$(BUILD)/args.img,format=raw,if=ide,index=1 -s -S & \
	gdb -q -x scripts/kestrel.gdb; kill $$! 2>/dev/null || true

# The screen in a window when there is a display, else the serial console here.
bochs: iso
	./scripts/bochs.sh $(BUILD)/os.iso $(BUILD)

# Write the ISO to the USB stick DEV (the whole disk): DEV is checked before the
# build (removable, not a partition, not mounted), then asked about (scripts/usb.sh).
DEV ?=
usb:
	@./scripts/usb.sh --check "$(DEV)"
	@$(MAKE) --no-print-directory iso
	./scripts/usb.sh "$(DEV)" $(BUILD)/os.iso

test: test-host test-boot

# Every host crate's tests (the pure kernel crates, the user programs, the harness).
test-host: deps
	cargo test --workspace --exclude kestrel-kernel --exclude kestrel
	cargo test -p kestrel --lib

# The image tests/debian.rs boots: Kestrel with DEBIAN_TEST_DEBS, in $(BUILD)/debian-image.
debian-image: iso
	$(MAKE) iso BUILD=$(BUILD)/debian-image CTEST_DIR=$(CTEST_DIR) DEBS="$(DEBIAN_TEST_DEBS)"

test-boot: iso debian-image
	cargo test -p kestrel --tests --no-fail-fast -- --test-threads=2

lint: deps
	cargo fmt --all --check
	cargo clippy --workspace --exclude kestrel-kernel --all-targets -- -D warnings
	cargo clippy -p kestrel-kernel --target $(KERNEL_TARGET) --profile kernel -- -D warnings

# Kestrel's figures, then the same benchmark program under Debian's Linux beside
# Kestrel's (scripts/linux-kernel.sh fetches the kernel into build/linux).
bench: bench-linux
	cargo test -p kestrel --release --test bench -- --ignored --nocapture --test-threads=1 \
	    --skip against_the_baseline

bench-linux: iso
	./scripts/linux-kernel.sh $(BUILD)/linux
	./scripts/linux-bench-initramfs.sh $(USER_BINDIR) $(CTEST_DIR) $(BUILD)/linux/bench.cpio

# The deterministic (-icount) comparison only, then its Kestrel figures against
# benchmarks/baseline.csv: fails on a figure more than 25% worse. Run it before a
# change that may cost speed lands; replace the baseline deliberately
# (cp build/bench-icount.csv benchmarks/baseline.csv) when figures are meant to move.
bench-check: bench-linux
	KESTREL_BENCH_MODES=icount cargo test -p kestrel --release --test bench -- --ignored --nocapture \
	    --exact beside_linux
	cargo test -p kestrel --release --test bench -- --ignored --nocapture --exact against_the_baseline

# The system-call fuzzer (user/sysfuzz) as init: SEEDS boots from seed SEED on,
# MINUTES of fuzzing in all; fails on a kernel panic, a kernel-mode exception or
# a hang (tests/fuzz.rs).
SEED    ?= 1
SEEDS   ?= 1
MINUTES ?= 5
fuzz: iso
	KESTREL_FUZZ_SEED=$(SEED) KESTREL_FUZZ_SEEDS=$(SEEDS) KESTREL_FUZZ_MINUTES=$(MINUTES) \
		cargo test -p kestrel --release --test fuzz -- --ignored --nocapture campaign

clean:
	cargo clean
	rm -rf $(BUILD)
