#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Builds and runs procap's libFuzzer targets (`make fuzz`, tests/fuzz/tier.sh).
#   tests/fuzz/run.sh [SECONDS] [fuzz_NAME...]     default: $FUZZ_TIME or 60 s, every target
#   tests/fuzz/run.sh --build-only
# Every tests/fuzz/fuzz_*.c is a target. The library is built by the Makefile with clang and
# ASan+UBSan plus libFuzzer coverage into $FUZZ_OUT (build-fuzz/); each target is linked there
# with -fsanitize=fuzzer,address,undefined. Seeds are made at run time under $FUZZ_OUT/seeds/
# (nothing generated is committed):
#   captures: testdata/ capture files (testdata/corpus included) (large ones cut to their first
#             packets with editcap), a gzip-compressed one, and testdata/malformed/ regressions;
#   frames:   every packet of those captures as one file (Ethernet/SLL/raw IP frames);
#   filters:  tests/fuzz/filter_exprs.txt as expressions and as libpcap-compiled programs.
# A target picks its kind with a line "fuzz-seeds: KIND" in its source (default: frames) and
# may add its own seeds in tests/fuzz/seeds/fuzz_NAME/ and a dictionary tests/fuzz/fuzz_NAME.dict.
# The growing corpus stays in $FUZZ_OUT/corpus/fuzz_NAME/ between runs; a crash is saved as
# $FUZZ_OUT/artifacts/fuzz_NAME-crash-SHA1 (reproduce: $FUZZ_OUT/bin/fuzz_NAME FILE).
# Targets run in an empty network namespace when possible (filter name lookups may try DNS).
# Output: one line per target, "fuzz_NAME: PASS|FAIL execs=N cov=X ft=Y ...". Exit 1 if any
# target failed to build or found a crash.
set -u
cd "$(dirname "$0")/../.."
OUT=${FUZZ_OUT:-build-fuzz}
CORPUS_DIR=${CORPUS_DIR:-testdata/corpus}
CLANG=${CLANG:-clang}
build_only=0
secs=${FUZZ_TIME:-60}
targets=()
for a in "$@"; do
	case "$a" in
	--build-only) build_only=1 ;;
	[0-9]*) secs=$a ;;
	*) targets+=("${a%.c}") ;;
	esac
done
if [ ${#targets[@]} -eq 0 ]; then
	for f in tests/fuzz/fuzz_*.c; do [ -e "$f" ] && targets+=("$(basename "$f" .c)"); done
fi
if ! command -v "$CLANG" >/dev/null; then echo "fuzz: $CLANG not found" >&2; exit 77; fi

mkdir -p "$OUT"
exec 9>"$OUT/run.lock"
flock -n 9 || { echo "fuzz: another run is using $OUT" >&2; exit 1; }
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
# The library: the Makefile's own rules with clang; coverage instrumentation without libFuzzer's
# main. -Wno-error: a clang-only warning must not stop fuzzing (the gcc build keeps -Werror).
if ! make --no-print-directory -j2 CC="$CLANG" SAN=1 OUT="$OUT" \
	EXTRA_CFLAGS="-fsanitize=fuzzer-no-link -Wno-error" "$OUT/libprocap.a" >"$OUT/build.log" 2>&1; then
	echo "fuzz: library build failed (see $OUT/build.log):" >&2
	grep -m5 -E error "$OUT/build.log" >&2
	exit 1
fi
LIBS="$(pkg-config --libs libbpf 2>/dev/null || echo -lbpf) -lelf -lpcap -lcrypto -lz"
INC=$(for d in src src/*/ dissectors; do printf -- "-I%s " "${d%/}"; done)
CFLAGS="-std=gnu11 -O1 -g $SAN $INC -Ibpf -I$OUT/bpf -Itests -Itests/fuzz"
mkdir -p "$OUT/bin" "$OUT/artifacts"
link() {	# link NAME EXTRA_SAN: tests/fuzz/NAME.c -> $OUT/bin/NAME
	"$CLANG" $CFLAGS $2 -o "$OUT/bin/$1" "tests/fuzz/$1.c" "$OUT/libprocap.a" $LIBS
}
link seedgen -fsanitize=fuzzer-no-link || exit 1
build_fail=()
for t in "${targets[@]}"; do
	if [ ! -f "tests/fuzz/$t.c" ]; then echo "$t: FAIL no such target"; build_fail+=("$t"); continue; fi
	link "$t" -fsanitize=fuzzer 2>"$OUT/$t.build.log" ||
		{ echo "$t: FAIL build (see $OUT/$t.build.log)"; build_fail+=("$t"); }
done
[ "$build_only" = 1 ] && exit $(( ${#build_fail[@]} > 0 ))

# Seeds, regenerated every run.
S=$OUT/seeds
rm -rf "$S"; mkdir -p "$S/captures" "$S/frames" "$S/filters"
while IFS= read -r f; do
	dst="$S/captures/$(basename "$f" | tr -c 'A-Za-z0-9._\n-' _)"
	if [ "$(stat -c %s "$f")" -le 65536 ]; then
		cp "$f" "$dst"
	elif command -v editcap >/dev/null; then	# keep the format, first 30 packets
		fmt=pcapng; case "$(head -c4 "$f" | od -An -tx1 | tr -d ' ')" in
			d4c3b2a1|a1b2c3d4|4d3cb2a1|a1b23c4d) fmt=pcap ;; esac
		editcap -F "$fmt" -r "$f" "$dst" 1-30 2>/dev/null || rm -f "$dst"
	fi
done < <(find testdata "$CORPUS_DIR" -type f \( -name '*.pcap' -o -name '*.pcapng' \
	-o -name '*.cap' -o -name '*.pcap.gz' -o -name '*.pcapng.gz' \) 2>/dev/null | sort -u)
[ -d testdata/malformed ] && cp testdata/malformed/* "$S/captures/" 2>/dev/null
[ -f "$S/captures/eth_tcp.pcap" ] && gzip -c "$S/captures/eth_tcp.pcap" >"$S/captures/eth_tcp.pcap.gz"
"$OUT/bin/seedgen" frames "$S/frames" 40 "$S"/captures/*.pcap* 2>/dev/null
"$OUT/bin/seedgen" filters "$S/filters" tests/fuzz/filter_exprs.txt "$S/frames"

# Network isolation for the run (no packet and no DNS query can leave).
NETNS=()
if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then NETNS=(unshare -n); fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=${#build_fail[@]}
for t in "${targets[@]}"; do
	[ -x "$OUT/bin/$t" ] || continue
	for b in "${build_fail[@]}"; do [ "$b" = "$t" ] && continue 2; done
	kind=$(grep -o -m1 'fuzz-seeds: [a-z/._-]*' "tests/fuzz/$t.c" | awk '{print $2}')
	kind=${kind:-frames}
	dirs=("$OUT/corpus/$t")
	if [ -d "$S/$kind" ]; then dirs+=("$S/$kind"); elif [ -d "$kind" ]; then dirs+=("$kind"); fi
	[ -d "tests/fuzz/seeds/$t" ] && dirs+=("tests/fuzz/seeds/$t")
	mkdir -p "$OUT/corpus/$t"
	extra=()
	[ -f "tests/fuzz/$t.dict" ] && extra+=("-dict=tests/fuzz/$t.dict")
	[ "$kind" = captures ] && extra+=(-max_len=65536)
	log=$OUT/$t.log
	"${NETNS[@]}" "$OUT/bin/$t" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$OUT/artifacts/$t-" "${extra[@]}" \
		"${dirs[@]}" >"$log" 2>&1
	rc=$?
	done_line=$(grep -a -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n1)
	execs=$(sed -n 's/^stat::number_of_executed_units: //p' "$log" | tail -n1)
	cov=$(sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\).*/\1/p' <<<"$done_line")
	ft=$(sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\).*/\2/p' <<<"$done_line")
	corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<<"$done_line")
	stats="execs=${execs:-?} cov=${cov:-?} ft=${ft:-?} corpus=${corp:-?} time=${secs}s"
	if [ "$rc" -eq 0 ] && [ -n "$done_line" ]; then
		echo "$t: PASS $stats"
	else
		art=$(grep -a -o "$OUT/artifacts/$t-[a-z-]*[0-9a-f]*" "$log" | tail -n1)
		why=$(grep -a -m1 -E 'runtime error:|fuzz_[a-z]*: |ERROR: |SUMMARY:' "$log")
		echo "$t: FAIL $stats artifact=${art:-none} ${why}"
		failed=$((failed + 1))
	fi
done
[ "$failed" -eq 0 ]
