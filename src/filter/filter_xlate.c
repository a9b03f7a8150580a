// SPDX-License-Identifier: BSD-3-Clause
/* Classic BPF (as libpcap's pcap_compile() emits it) -> eBPF, one function with the semantics of
 * libpcap's interpreter bpf_filter():
 *   - A and X are 32-bit and start at 0; M[16] lives on the eBPF stack;
 *   - packet loads are big-endian; they read the linear data directly (bounds-checked against
 *     data_end) and otherwise go through bpf_skb_load_bytes()/bpf_xdp_load_bytes(), so
 *     non-linear skbs and XDP fragments are seen too; a load that does not fit in the packet
 *     makes the program return 0, as bpf_filter() does;
 *   - division or modulo by X == 0 returns 0; shifts use the low 5 bits of the count (what
 *     bpf_filter()'s C shifts do on x86, and eBPF's defined 32-bit shift semantics);
 *   - "ret #k"/"ret a" return that many bytes to keep (0 = drop).
 * Register use: r6 ctx, r7 A, r8 X, r9 packet length (only when the program reads "len");
 * r1-r5 scratch for helper calls. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <linux/filter.h>

#include "filter_int.h"
#include "util.h"

enum { R0, R1, R2, R3, R4, R5, R_CTX, R_A, R_X, R_LEN, R_FP };

#define TARGET_RET0	(-1L)		/* jump target: the shared "return 0" epilogue */
#define MAX_REGIONS	8		/* protochain loops per filter */

/* A classic loop: instructions [head, end], walked again by backward jumps to head. eBPF gets
 * FILTER_LOOP_MAX unrolled copies of it; copy c's backward jumps enter copy c + 1, the last
 * copy's return 0. Unrolled code is a DAG, which the verifier prunes well (a counted loop with
 * its branches was rejected as too complex). */
struct region {
	size_t head, end;
};

struct fixup {
	size_t at;			/* eBPF jump instruction to patch */
	long target;			/* classic instruction index or TARGET_RET0 */
	int row;			/* 0: straight code; 1 + c: unrolled copy c */
};

struct emitter {
	struct bpf_insn *ins;
	size_t n, cap;
	struct fixup *fix;
	size_t nfix, capfix;
	enum filter_ctx ctx;
	struct region regions[MAX_REGIONS];
	int nregions;
	int copy;			/* copy being emitted, -1 outside loops */
	char *err;
	size_t errlen;
};

static int fail(struct emitter *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct emitter *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->err, e->errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static void emit(struct emitter *e, uint8_t code, uint8_t dst, uint8_t src, int16_t off,
		 int32_t imm)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 256;
		e->ins = xrealloc(e->ins, e->cap * sizeof(*e->ins));
	}
	e->ins[e->n++] = (struct bpf_insn){
		.code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm,
	};
}

static int region_of(const struct emitter *e, long i)
{
	for (int r = 0; r < e->nregions; r++)
		if (i >= (long)e->regions[r].head && i <= (long)e->regions[r].end)
			return r;
	return -1;
}

/* Which copy of classic instruction T a jump from FROM lands in: -1 for "return 0". */
static int target_row(const struct emitter *e, size_t from, long t)
{
	int rt = region_of(e, t);

	if (rt < 0)
		return 0;
	if (e->copy < 0 || region_of(e, (long)from) != rt)
		return 1;			/* entering the loop: first copy */
	if (t > (long)from)
		return e->copy + 1;		/* forward inside the same copy */
	return e->copy + 1 < FILTER_LOOP_MAX ? e->copy + 2 : -1;
}

/* A jump whose offset is patched once every classic instruction has its eBPF address. FROM
 * is the classic instruction being translated, TARGET a classic index or TARGET_RET0. */
static void emit_jump(struct emitter *e, uint8_t code, uint8_t dst, uint8_t src, int32_t imm,
		      size_t from, long target)
{
	int row = target == TARGET_RET0 ? -1 : target_row(e, from, target);

	if (e->nfix == e->capfix) {
		e->capfix = e->capfix ? e->capfix * 2 : 64;
		e->fix = xrealloc(e->fix, e->capfix * sizeof(*e->fix));
	}
	e->fix[e->nfix++] = (struct fixup){
		.at = e->n, .target = row < 0 ? TARGET_RET0 : target, .row = row,
	};
	emit(e, code, dst, src, 0, imm);
}

static void mov32_imm(struct emitter *e, uint8_t dst, uint32_t k)
{
	emit(e, BPF_ALU | BPF_MOV | BPF_K, dst, 0, 0, (int32_t)k);	/* zero-extends */
}

static void mov64_reg(struct emitter *e, uint8_t dst, uint8_t src)
{
	emit(e, BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0);
}

static int stack_mem(uint32_t k)
{
	return FILTER_STACK_MEM + 4 * (int)k;
}

/* eBPF load size for a classic load of 1, 2 or 4 bytes. */
static const uint8_t ldx_size[5] = { [1] = BPF_B, [2] = BPF_H, [4] = BPF_W };

/* Direct reads end at most here: the verifier proves packet bounds only for pointers whose
 * largest offset plus access size stays within MAX_PACKET_OFF (64 KiB - 1). */
#define DIRECT_MAX_OFF	0xffff

static void patch_jump(struct emitter *e, size_t at, size_t target)
{
	e->ins[at].off = (int16_t)(target - at - 1);
}

/* Fast path of a packet load: read the bytes straight from the linear packet data when they
 * lie inside it (the pointer comparison against data_end is what lets the verifier accept the
 * read). Leaves the value in DST and jumps over the helper path, or goes on to the helper path
 * at the instruction following it (positions of the jumps to patch are stored in TO_SLOW;
 * returns how many, and *TO_DONE). */
static int emit_direct_load(struct emitter *e, int size, bool ind, uint32_t k, uint8_t dst,
			    size_t to_slow[2], size_t *to_done)
{
	bool xdp = e->ctx == FILTER_CTX_XDP;
	int n = 0;

	emit(e, BPF_LDX | BPF_MEM | BPF_W, R1, R_CTX,
	     xdp ? offsetof(struct xdp_md, data) : offsetof(struct __sk_buff, data), 0);
	emit(e, BPF_LDX | BPF_MEM | BPF_W, R3, R_CTX,
	     xdp ? offsetof(struct xdp_md, data_end) : offsetof(struct __sk_buff, data_end), 0);
	if (ind) {
		mov64_reg(e, R2, R_X);
		mov32_imm(e, R4, k);
		emit(e, BPF_ALU64 | BPF_ADD | BPF_X, R2, R4, 0, 0);
		to_slow[n++] = e->n;
		emit(e, BPF_JMP | BPF_JGT | BPF_K, R2, 0, 0, DIRECT_MAX_OFF - size);
		emit(e, BPF_ALU64 | BPF_ADD | BPF_X, R1, R2, 0, 0);
	} else if (k) {
		emit(e, BPF_ALU64 | BPF_ADD | BPF_K, R1, 0, 0, (int32_t)k);
	}
	mov64_reg(e, R4, R1);
	emit(e, BPF_ALU64 | BPF_ADD | BPF_K, R4, 0, 0, size);
	to_slow[n++] = e->n;
	emit(e, BPF_JMP | BPF_JGT | BPF_X, R4, R3, 0, 0);
	emit(e, BPF_LDX | BPF_MEM | ldx_size[size], dst, R1, 0, 0);
	*to_done = e->n;
	emit(e, BPF_JMP | BPF_JA, 0, 0, 0, 0);
	return n;
}

/* DST (A or X) = big-endian SIZE bytes at packet offset K (+ X when IND): directly from the
 * linear data when they are inside it, else through the load helper, which also reads
 * non-linear skbs and XDP fragments. The helper fails when the bytes are not all inside the
 * packet: that is bpf_filter()'s bounds check, and then the filter returns 0 like bpf_filter().
 * X + k is computed in 64 bits; if it does not fit in 32 bits, bit 31 of the helper's 32-bit
 * offset is set, so the helper refuses it too (offsets above INT_MAX always fail). The helper
 * path has no comparison with the packet length: one the verifier could decide would make it
 * track X and the length precisely and stop pruning (protochain's unrolled loops then exceed
 * its complexity limit); the direct path compares pointers, which it tracks apart. */
static void emit_packet_load(struct emitter *e, int size, bool ind, uint32_t k, uint8_t dst)
{
	size_t to_slow[2], to_done = 0;
	int n_slow = 0;
	bool direct = ind || k <= DIRECT_MAX_OFF - (uint32_t)size;

	if (direct)
		n_slow = emit_direct_load(e, size, ind, k, dst, to_slow, &to_done);
	for (int i = 0; i < n_slow; i++)
		patch_jump(e, to_slow[i], e->n);
	if (ind) {
		mov64_reg(e, R2, R_X);
		mov32_imm(e, R3, k);
		emit(e, BPF_ALU64 | BPF_ADD | BPF_X, R2, R3, 0, 0);
		mov64_reg(e, R3, R2);
		emit(e, BPF_ALU64 | BPF_RSH | BPF_K, R3, 0, 0, 32);
		emit(e, BPF_ALU64 | BPF_LSH | BPF_K, R3, 0, 0, 31);
		emit(e, BPF_ALU64 | BPF_OR | BPF_X, R2, R3, 0, 0);
	} else {
		mov32_imm(e, R2, k);
	}
	mov64_reg(e, R1, R_CTX);
	mov64_reg(e, R3, R_FP);
	emit(e, BPF_ALU64 | BPF_ADD | BPF_K, R3, 0, 0, FILTER_STACK_BUF);
	mov32_imm(e, R4, (uint32_t)size);
	emit(e, BPF_JMP | BPF_CALL, 0, 0, 0,
	     e->ctx == FILTER_CTX_XDP ? BPF_FUNC_xdp_load_bytes : BPF_FUNC_skb_load_bytes);
	emit_jump(e, BPF_JMP | BPF_JNE | BPF_K, R0, 0, 0, 0, TARGET_RET0);
	emit(e, BPF_LDX | BPF_MEM | ldx_size[size], dst, R_FP, FILTER_STACK_BUF, 0);
	if (direct)
		patch_jump(e, to_done, e->n);
	if (size > 1)
		emit(e, BPF_ALU | BPF_END | BPF_TO_BE, dst, 0, 0, size * 8);
}

static int load_size(uint16_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_W: return 4;
	case BPF_H: return 2;
	case BPF_B: return 1;
	}
	return 0;
}

static int xlate_ld(struct emitter *e, const struct sock_filter *c)
{
	int size = load_size(c->code);

	switch (BPF_MODE(c->code)) {
	case BPF_IMM:
		mov32_imm(e, R_A, c->k);
		return 0;
	case BPF_LEN:
		emit(e, BPF_ALU | BPF_MOV | BPF_X, R_A, R_LEN, 0, 0);
		return 0;
	case BPF_MEM:
		emit(e, BPF_LDX | BPF_MEM | BPF_W, R_A, R_FP, stack_mem(c->k), 0);
		return 0;
	case BPF_ABS:
	case BPF_IND:
		if (!size)
			break;
		emit_packet_load(e, size, BPF_MODE(c->code) == BPF_IND, c->k, R_A);
		return 0;
	}
	return fail(e, "unsupported classic load 0x%02x", c->code);
}

static int xlate_ldx(struct emitter *e, const struct sock_filter *c)
{
	switch (BPF_MODE(c->code)) {
	case BPF_IMM:
		mov32_imm(e, R_X, c->k);
		return 0;
	case BPF_LEN:
		emit(e, BPF_ALU | BPF_MOV | BPF_X, R_X, R_LEN, 0, 0);
		return 0;
	case BPF_MEM:
		emit(e, BPF_LDX | BPF_MEM | BPF_W, R_X, R_FP, stack_mem(c->k), 0);
		return 0;
	case BPF_MSH:	/* X = 4 * (P[k] & 0xf): the IPv4 header length */
		emit_packet_load(e, 1, false, c->k, R_X);
		emit(e, BPF_ALU | BPF_AND | BPF_K, R_X, 0, 0, 0xf);
		emit(e, BPF_ALU | BPF_LSH | BPF_K, R_X, 0, 0, 2);
		return 0;
	}
	return fail(e, "unsupported classic load 0x%02x", c->code);
}

static int xlate_alu(struct emitter *e, const struct sock_filter *c)
{
	uint8_t op = BPF_OP(c->code);

	switch (op) {
	case BPF_NEG:
		emit(e, BPF_ALU | BPF_NEG, R_A, 0, 0, 0);
		return 0;
	case BPF_ADD: case BPF_SUB: case BPF_MUL: case BPF_DIV: case BPF_MOD:
	case BPF_OR: case BPF_AND: case BPF_XOR: case BPF_LSH: case BPF_RSH:
		break;
	default:
		return fail(e, "unsupported classic ALU op 0x%02x", c->code);
	}
	if (BPF_SRC(c->code) == BPF_X) {
		/* bpf_filter(): "if (X == 0) return 0"; eBPF would yield 0 / keep A instead */
		if (op == BPF_DIV || op == BPF_MOD)
			emit_jump(e, BPF_JMP32 | BPF_JEQ | BPF_K, R_X, 0, 0, 0, TARGET_RET0);
		if (op == BPF_LSH || op == BPF_RSH) {
			/* bpf_filter(): a shift by 32 or more gives 0; eBPF would use X & 31 */
			emit(e, BPF_JMP32 | BPF_JLT | BPF_K, R_X, 0, 2, 32);
			mov32_imm(e, R_A, 0);
			emit(e, BPF_JMP | BPF_JA, 0, 0, 1, 0);
		}
		emit(e, BPF_ALU | op | BPF_X, R_A, R_X, 0, 0);
		return 0;
	}
	if ((op == BPF_DIV || op == BPF_MOD) && c->k == 0)
		return fail(e, "division by constant zero");
	/* pcap_compile() never emits these and the kernel's classic checker refuses them; libpcap's
	 * bpf_validate() lets them through, and bpf_filter() then shifts by k & 31 on x86 (undefined
	 * behaviour in C), so no result would be "the classic one": refuse (found by fuzz_filter). */
	if ((op == BPF_LSH || op == BPF_RSH) && c->k >= 32)
		return fail(e, "shift by constant %u (32 or more)", c->k);
	emit(e, BPF_ALU | op | BPF_K, R_A, 0, 0, (int32_t)c->k);
	return 0;
}

static int xlate_jmp(struct emitter *e, const struct sock_filter *c, size_t i)
{
	uint8_t op = BPF_OP(c->code);
	long tt = (long)i + 1 + c->jt, tf = (long)i + 1 + c->jf;

	if (op == BPF_JA) {
		/* libpcap sign-extends k: protochain jumps backwards (unrolled: struct region) */
		if (c->k)
			emit_jump(e, BPF_JMP | BPF_JA, 0, 0, 0, i, (long)i + 1 + (int32_t)c->k);
		return 0;
	}
	if (op != BPF_JEQ && op != BPF_JGT && op != BPF_JGE && op != BPF_JSET)
		return fail(e, "unsupported classic jump 0x%02x", c->code);
	if (tt == tf) {
		if (c->jt)
			emit_jump(e, BPF_JMP | BPF_JA, 0, 0, 0, i, tt);
		return 0;
	}
	/* "jt 0": jump on the negated condition instead (JSET has no negation) */
	if (c->jt == 0 && op != BPF_JSET) {
		op = op == BPF_JEQ ? BPF_JNE : op == BPF_JGT ? BPF_JLE : BPF_JLT;
		tt = tf;
		tf = (long)i + 1;
	}
	/* classic comparisons are unsigned 32-bit: JMP32 with the same op codes */
	if (BPF_SRC(c->code) == BPF_X)
		emit_jump(e, BPF_JMP32 | op | BPF_X, R_A, R_X, 0, i, tt);
	else
		emit_jump(e, BPF_JMP32 | op | BPF_K, R_A, 0, (int32_t)c->k, i, tt);
	if (tf != (long)i + 1)
		emit_jump(e, BPF_JMP | BPF_JA, 0, 0, 0, i, tf);
	return 0;
}

static int xlate_one(struct emitter *e, const struct sock_filter *c, size_t i)
{
	switch (BPF_CLASS(c->code)) {
	case BPF_LD:
		return xlate_ld(e, c);
	case BPF_LDX:
		return xlate_ldx(e, c);
	case BPF_ST:
		emit(e, BPF_STX | BPF_MEM | BPF_W, R_FP, R_A, stack_mem(c->k), 0);
		return 0;
	case BPF_STX:
		emit(e, BPF_STX | BPF_MEM | BPF_W, R_FP, R_X, stack_mem(c->k), 0);
		return 0;
	case BPF_ALU:
		return xlate_alu(e, c);
	case BPF_JMP:
		return xlate_jmp(e, c, i);
	case BPF_RET:
		if (BPF_RVAL(c->code) == BPF_K)
			mov32_imm(e, R0, c->k);
		else if (BPF_RVAL(c->code) == BPF_A)
			emit(e, BPF_ALU | BPF_MOV | BPF_X, R0, R_A, 0, 0);
		else
			return fail(e, "unsupported classic return 0x%02x", c->code);
		emit(e, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
		return 0;
	case BPF_MISC:
		if (BPF_MISCOP(c->code) == BPF_TAX)
			emit(e, BPF_ALU | BPF_MOV | BPF_X, R_X, R_A, 0, 0);
		else if (BPF_MISCOP(c->code) == BPF_TXA)
			emit(e, BPF_ALU | BPF_MOV | BPF_X, R_A, R_X, 0, 0);
		else
			return fail(e, "unsupported classic misc op 0x%02x", c->code);
		return 0;
	}
	return fail(e, "unsupported classic opcode 0x%02x", c->code);
}

/* Successors of classic instruction i (at most 2); -1 marks "none". */
static void successors(const struct sock_filter *c, size_t i, long succ[2])
{
	succ[0] = succ[1] = -1;
	switch (BPF_CLASS(c[i].code)) {
	case BPF_RET:
		return;
	case BPF_JMP:
		if (BPF_OP(c[i].code) == BPF_JA) {
			succ[0] = (long)i + 1 + (int32_t)c[i].k;
		} else {
			succ[0] = (long)i + 1 + c[i].jt;
			succ[1] = (long)i + 1 + c[i].jf;
		}
		return;
	default:
		succ[0] = (long)i + 1;
	}
}

/* Exactly the opcodes libpcap's bpf_filter() implements (its switch cases); anything else,
 * e.g. a JA with the X bit or bits above the low byte, is refused instead of being read
 * through the BPF_CLASS/BPF_OP masks as some other instruction. */
static bool valid_opcode(uint16_t code)
{
	switch (code) {
	case BPF_LD | BPF_W | BPF_ABS: case BPF_LD | BPF_H | BPF_ABS: case BPF_LD | BPF_B | BPF_ABS:
	case BPF_LD | BPF_W | BPF_IND: case BPF_LD | BPF_H | BPF_IND: case BPF_LD | BPF_B | BPF_IND:
	case BPF_LD | BPF_W | BPF_LEN: case BPF_LD | BPF_IMM: case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_W | BPF_LEN: case BPF_LDX | BPF_B | BPF_MSH: case BPF_LDX | BPF_IMM:
	case BPF_LDX | BPF_MEM: case BPF_ST: case BPF_STX:
	case BPF_JMP | BPF_JA:
	case BPF_JMP | BPF_JEQ | BPF_K: case BPF_JMP | BPF_JEQ | BPF_X:
	case BPF_JMP | BPF_JGT | BPF_K: case BPF_JMP | BPF_JGT | BPF_X:
	case BPF_JMP | BPF_JGE | BPF_K: case BPF_JMP | BPF_JGE | BPF_X:
	case BPF_JMP | BPF_JSET | BPF_K: case BPF_JMP | BPF_JSET | BPF_X:
	case BPF_ALU | BPF_NEG:
	case BPF_MISC | BPF_TAX: case BPF_MISC | BPF_TXA:
	case BPF_RET | BPF_K: case BPF_RET | BPF_A:
		return true;
	}
	if ((code & ~0xffu) || BPF_CLASS(code) != BPF_ALU)
		return false;
	switch (BPF_OP(code)) {
	case BPF_ADD: case BPF_SUB: case BPF_MUL: case BPF_DIV: case BPF_MOD:
	case BPF_OR: case BPF_AND: case BPF_XOR: case BPF_LSH: case BPF_RSH:
		return (code & ~0xf8u) == BPF_ALU;	/* op | K or X, nothing else */
	}
	return false;
}

/* The verifier rejects unreachable instructions, so only reachable classic code is emitted.
 * Also checks every jump lands inside the program and no path falls off its end. */
static int mark_reachable(struct emitter *e, const struct sock_filter *c, size_t n, bool *reach,
			  bool *mem_used, bool *uses_len)
{
	size_t *stack = xcalloc(n, sizeof(*stack)), sp = 0;
	int rc = 0;

	reach[0] = true;
	stack[sp++] = 0;
	while (sp && !rc) {
		size_t i = stack[--sp];
		long succ[2];
		uint8_t cls = BPF_CLASS(c[i].code);

		if (!valid_opcode(c[i].code)) {
			rc = fail(e, "invalid classic opcode 0x%02x at %zu", c[i].code, i);
			break;
		}
		if (((cls == BPF_LD || cls == BPF_LDX) && BPF_MODE(c[i].code) == BPF_MEM) ||
		    cls == BPF_ST || cls == BPF_STX) {
			if (c[i].k >= BPF_MEMWORDS) {
				rc = fail(e, "scratch memory index %u out of range", c[i].k);
				break;
			}
			mem_used[c[i].k] = true;
		}
		if ((cls == BPF_LD || cls == BPF_LDX) && BPF_MODE(c[i].code) == BPF_LEN)
			*uses_len = true;
		successors(c, i, succ);
		for (int s = 0; s < 2; s++) {
			if (succ[s] < 0 && s == 1)
				continue;
			if (succ[s] < 0 || (size_t)succ[s] >= n) {
				if (!(s == 0 && cls == BPF_RET))
					rc = fail(e, "classic instruction %zu jumps outside "
						  "the program", i);
				continue;
			}
			if (!reach[succ[s]]) {
				reach[succ[s]] = true;
				stack[sp++] = (size_t)succ[s];
			}
		}
	}
	free(stack);
	return rc;
}

static void emit_prologue(struct emitter *e, const bool *mem_used, bool uses_len)
{
	mov64_reg(e, R_CTX, R1);
	if (uses_len && e->ctx == FILTER_CTX_XDP) {
		emit(e, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_xdp_get_buff_len);
		mov64_reg(e, R_LEN, R0);
	} else if (uses_len) {
		emit(e, BPF_LDX | BPF_MEM | BPF_W, R_LEN, R_CTX, offsetof(struct __sk_buff, len),
		     0);
	}
	mov32_imm(e, R_A, 0);
	mov32_imm(e, R_X, 0);
	/* libpcap never reads M[k] before writing it, but the verifier cannot know that */
	for (uint32_t k = 0; k < BPF_MEMWORDS; k++)
		if (mem_used[k])
			emit(e, BPF_ST | BPF_MEM | BPF_W, R_FP, 0, stack_mem(k), 0);
}

/* Loops from backward jumps: one region per head, disjoint. */
static int find_regions(struct emitter *e, const struct sock_filter *c, size_t n,
			const bool *reach)
{
	for (size_t i = 0; i < n; i++) {
		int r;

		if (!reach[i] || c[i].code != (BPF_JMP | BPF_JA) || (int32_t)c[i].k >= 0)
			continue;
		size_t head = (size_t)((long)i + 1 + (int32_t)c[i].k);
		for (r = 0; r < e->nregions && e->regions[r].head != head; r++)
			;
		if (r == e->nregions) {
			if (r == MAX_REGIONS)
				return fail(e, "more than %d loops", MAX_REGIONS);
			e->regions[e->nregions++] = (struct region){ .head = head, .end = i };
		} else if (i > e->regions[r].end) {
			e->regions[r].end = i;
		}
	}
	for (int r = 0; r < e->nregions; r++)
		for (int q = 0; q < e->nregions; q++)
			if (q != r && e->regions[q].head >= e->regions[r].head &&
			    e->regions[q].head <= e->regions[r].end)
				return fail(e, "nested or overlapping loops");
	return 0;
}

/* In unrolled copies after the first, only what the loop head reaches is emitted (jumps from
 * outside the loop enter the first copy); the verifier rejects unreachable instructions. */
static void mark_from_head(const struct sock_filter *c, const struct region *r, bool *from_head)
{
	from_head[r->head] = true;
	for (size_t i = r->head; i <= r->end; i++) {
		long succ[2];

		if (!from_head[i])
			continue;
		successors(c, i, succ);
		for (int s = 0; s < 2; s++)
			if (succ[s] > (long)i && succ[s] <= (long)r->end)
				from_head[succ[s]] = true;
	}
}

static int resolve_jumps(struct emitter *e, const size_t *start, size_t n)
{
	long ret0 = -1;

	for (size_t f = 0; f < e->nfix; f++) {
		long to;

		if (e->fix[f].target == TARGET_RET0) {
			if (ret0 < 0) {	/* emitted only when something jumps there */
				ret0 = (long)e->n;
				mov32_imm(e, R0, 0);
				emit(e, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
			}
			to = ret0;
		} else {
			to = (long)start[(size_t)e->fix[f].row * n + (size_t)e->fix[f].target];
		}
		long off = to - (long)e->fix[f].at - 1;
		if (off < INT16_MIN || off > INT16_MAX)
			return fail(e, "filter too large: jump of %ld instructions", off);
		e->ins[e->fix[f].at].off = (int16_t)off;
	}
	return 0;
}

/* Drops eBPF instructions no path reaches. The verifier refuses unreachable code, and a classic
 * program can produce some that the per-region marking above cannot see (a raw program whose
 * loop copies are entered only through some of their jumps). Jump offsets are rewritten for
 * the compacted program; the translator emits no two-slot instructions. */
static void drop_unreachable(struct emitter *e)
{
	bool *reach = xcalloc(e->n, sizeof(*reach));
	size_t *stack = xcalloc(e->n, sizeof(*stack)), *map = xcalloc(e->n, sizeof(*map));
	size_t sp = 0, kept = 0;

	reach[0] = true;
	stack[sp++] = 0;
	while (sp) {
		size_t i = stack[--sp];
		const struct bpf_insn *in = &e->ins[i];
		uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);
		long next[2] = { (long)i + 1, -1 };

		if (cls == BPF_JMP || cls == BPF_JMP32) {
			if (op == BPF_EXIT)
				next[0] = -1;
			else if (op == BPF_JA)
				next[0] = (long)i + 1 + in->off;
			else if (op != BPF_CALL)
				next[1] = (long)i + 1 + in->off;
		}
		for (int k = 0; k < 2; k++)
			if (next[k] >= 0 && (size_t)next[k] < e->n && !reach[next[k]]) {
				reach[next[k]] = true;
				stack[sp++] = (size_t)next[k];
			}
	}
	for (size_t i = 0; i < e->n; i++)
		map[i] = kept, kept += reach[i];
	for (size_t i = 0; i < e->n; i++) {
		struct bpf_insn in = e->ins[i];
		uint8_t cls = BPF_CLASS(in.code), op = BPF_OP(in.code);

		if (!reach[i])
			continue;
		if ((cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_EXIT && op != BPF_CALL)
			in.off = (int16_t)((long)map[(long)i + 1 + in.off] - (long)map[i] - 1);
		e->ins[map[i]] = in;
	}
	e->n = kept;
	free(reach);
	free(stack);
	free(map);
}

/* Emits classic instructions in order; a loop region is emitted FILTER_LOOP_MAX times. */
static int emit_body(struct emitter *e, const struct sock_filter *c, size_t n, const bool *reach,
		     size_t *start, bool *from_head)
{
	int rc = 0;

	for (size_t i = 0; i < n && !rc;) {
		int r = region_of(e, (long)i);

		if (r < 0) {
			start[i] = e->n;
			if (reach[i])
				rc = xlate_one(e, &c[i], i);
			i++;
			continue;
		}
		const struct region *reg = &e->regions[r];
		mark_from_head(c, reg, from_head);
		for (e->copy = 0; e->copy < FILTER_LOOP_MAX && !rc; e->copy++) {
			for (size_t j = reg->head; j <= reg->end && !rc; j++) {
				start[(size_t)(e->copy + 1) * n + j] = e->n;
				if (e->copy == 0 ? reach[j] : from_head[j])
					rc = xlate_one(e, &c[j], j);
			}
		}
		e->copy = -1;
		i = reg->end + 1;
	}
	return rc;
}

int filter_xlate(const struct sock_filter *c, size_t n, enum filter_ctx ctx, struct bpf_insn **out,
		 size_t *cnt, char *err, size_t errlen)
{
	struct emitter e = { .ctx = ctx, .copy = -1, .err = err, .errlen = errlen };
	bool *reach, *from_head, mem_used[BPF_MEMWORDS] = { false }, uses_len = false;
	size_t *start;
	int rc;

	if (n == 0)
		return fail(&e, "empty classic program");
	reach = xcalloc(n, sizeof(*reach));
	from_head = xcalloc(n, sizeof(*from_head));
	start = xcalloc(n * (1 + FILTER_LOOP_MAX), sizeof(*start));
	rc = mark_reachable(&e, c, n, reach, mem_used, &uses_len);
	if (!rc)
		rc = find_regions(&e, c, n, reach);
	if (!rc) {
		emit_prologue(&e, mem_used, uses_len);
		rc = emit_body(&e, c, n, reach, start, from_head);
	}
	if (!rc)
		rc = resolve_jumps(&e, start, n);
	if (!rc)
		drop_unreachable(&e);
	free(reach);
	free(from_head);
	free(start);
	free(e.fix);
	if (rc) {
		free(e.ins);
		return rc;
	}
	*out = e.ins;
	*cnt = e.n;
	return 0;
}
