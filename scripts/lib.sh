# SPDX-License-Identifier: GPL-2.0
# Helpers shared by mlra's scripts; sourced, not run.

MLRA_TOP=${MLRA_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
# Build outputs that survive between runs live here, never in the checkout.
MLRA_CACHE=${MLRA_CACHE:-/var/cache/mlra}

mlra_die() {
	echo "$(basename "$0"): $*" >&2
	exit 1
}

# Print what mlra's builds read (the module, the KUnit graft), one per line.
mlra_sources() {
	(cd "$MLRA_TOP" && ls Kbuild Kconfig src/*.[ch] include/mlra/*.h include/uapi/linux/*.h \
		tests/*.[ch] tests/.kunitconfig 2>/dev/null)
}

# mlra_copy_sources DEST: a fresh copy of the sources in DEST, keeping their
# times. Builds run in copies: objects in the checkout would be picked up
# by a kernel build with O= through its VPATH, and each kernel line needs
# objects of its own.
mlra_copy_sources() {
	rm -rf "$1"
	mkdir -p "$1"
	mlra_sources | (cd "$MLRA_TOP" && cpio -pdm --quiet "$1")
}

# mlra_build_module LINE DIR [MAKE ARGS...]: build mlra.ko for the kernel
# line (6.1, 6.12 or 6.1-debug) in DIR; the build's output goes to
# DIR/build.log.
mlra_build_module() {
	_line=$1 _dir=$2
	shift 2
	_kdir=$("$MLRA_TOP/scripts/kernel" "$_line" headers) || return 1
	mlra_copy_sources "$_dir"
	make -C "$_kdir" M="$_dir" "$@" modules >"$_dir/build.log" 2>&1
}

# mlra_kernel_tree: print the path of Debian's linux-source-6.1 extracted
# into the cache (for KUnit and checkpatch), extracting it when the
# tarball is new. A new tree also invalidates the KUnit build.
mlra_kernel_tree() {
	_tarball=/usr/src/linux-source-6.1.tar.xz
	_tree=$MLRA_CACHE/linux-source-6.1
	[ -f "$_tarball" ] || mlra_die "$_tarball missing: run scripts/setup"
	_stamp=$(stat -c %Y-%s "$_tarball")
	if [ "$(cat "$_tree/.mlra-stamp" 2>/dev/null)" != "$_stamp" ]; then
		echo "extracting $_tarball into $_tree" >&2
		rm -rf "$_tree" "$MLRA_CACHE/kunit-build"
		mkdir -p "$_tree"
		tar -xJf "$_tarball" -C "$_tree" --strip-components=1 ||
			mlra_die "cannot extract $_tarball"
		echo "$_stamp" >"$_tree/.mlra-stamp"
	fi
	echo "$_tree"
}

# The debug kernel of the test host (scripts/debug-kernel builds it out of
# tree here; scripts/kernel 6.1-debug answers from it).
MLRA_DEBUG_KERNEL=${MLRA_DEBUG_KERNEL:-$MLRA_CACHE/debug-6.1}

# mlra_profile NAME: print the disk profile NAME of scripts/vm as "IOPS
# BYTES_PER_S DELAY_MS ROTATIONAL" (QEMU's throttle, 0 for none; dm-delay
# in the guest, a request; what the guest's disk says of itself in
# queue/rotational, which virtio-blk cannot tell: 1 unless set); fails for
# an unknown name.
mlra_profile() {
	case $1 in
	none) echo 0 0 0 0 ;;
	ssd) echo 20000 500000000 0 0 ;;
	cloud) echo 3000 125000000 0 0 ;;
	hdd) echo 150 120000000 4 1 ;;
	*) return 1 ;;
	esac
}

# awk functions for the benchmarks' tables, which hold several runs of
# each workload: keep(NAME, MODE) files the fields of the line being read
# as one more run of NAME with mlra MODE (in the arrays runs and kept);
# mid(NAME, MODE, C) is the median of field C over those runs;
# pair(NAME, C, A, B) is the median over the runs of field C in mode A's
# k-th run divided by mode B's k-th: when each repetition runs both modes
# back to back, the ratio of a pair cancels how the host's speed drifts
# from one repetition to the next, which the ratio of two medians keeps.
# awk "$MLRA_AWK_RUNS"'...'.
MLRA_AWK_RUNS='function median(a, k,   i, j, v) {
	for (i = 2; i <= k; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
			v = a[j]; a[j] = a[j - 1]; a[j - 1] = v
		}
	return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
}
function keep(f, md,   c, k) {
	k = ++runs[f, md]
	for (c = 1; c <= NF; c++) kept[f, md, k, c] = $c
}
function mid(f, md, c,   j, a) {
	for (j = 1; j <= runs[f, md]; j++) a[j] = kept[f, md, j, c]
	return median(a, runs[f, md])
}
function pair(f, c, x, y,   j, k, a) {
	for (j = 1; j <= runs[f, x] && j <= runs[f, y]; j++)
		if (kept[f, y, j, c] > 0) a[++k] = kept[f, x, j, c] / kept[f, y, j, c]
	return k ? median(a, k) : 0
}
'

# mlra_doc_section DOC NAME FILE: replace what DOC (a path under the
# tree) holds between the lines "<!-- NAME start -->" and
# "<!-- NAME end -->" with FILE, so that figures in the documentation come
# from the scripts that measure them.
mlra_doc_section() {
	_doc=$MLRA_TOP/$1
	mlra_doc_has "$1" "$2"
	awk -v name="$2" -v f="$3" '
		$0 == "<!-- " name " start -->" {
			print
			while ((getline l < f) > 0) print l
			skip = 1
			next
		}
		$0 == "<!-- " name " end -->" { skip = 0 }
		!skip' "$_doc" >"$_doc.tmp" && mv "$_doc.tmp" "$_doc"
}

# mlra_doc_has DOC NAME: stop unless DOC has NAME's section, so that a
# benchmark can check before it runs that its --results has a place.
mlra_doc_has() {
	grep -q "^<!-- $2 start -->\$" "$MLRA_TOP/$1" ||
		mlra_die "$1 has no '<!-- $2 start -->' line"
}

# mlra_results_section NAME FILE: the section NAME of
# Documentation/results.md, where every measured table lives.
mlra_results_section() {
	mlra_doc_section Documentation/results.md "$1" "$2"
}
