// SPDX-License-Identifier: BSD-3-Clause
/* A small eBPF interpreter for the instruction subset src/filter_xlate.c emits, so the fuzzer
 * can run a translated filter on a packet without a kernel and compare its verdict with
 * libpcap's bpf_filter(). It is deliberately strict where the kernel verifier is: an
 * instruction it does not know, a jump out of the program, an unreachable instruction, a
 * memory access outside the 512-byte stack or the one context field used, a read of stack
 * bytes never written, a packet read past data_end (the linear part, m->linear), or a use of a
 * register a helper call clobbered all make ebpf_run()
 * return EBPF_BAD with a reason (the verifier would refuse such a program).
 * specification: the kernel's Documentation/bpf/standardization/instruction-set.rst semantics
 * (32-bit ALU results zero-extend; shift counts are masked to the operand width; division by
 * zero yields 0, modulo by zero leaves dst), and the helpers bpf_skb_load_bytes(),
 * bpf_xdp_load_bytes(), bpf_xdp_get_buff_len() (include/uapi/linux/bpf.h). */
#ifndef PROCAP_EBPF_INTERP_H
#define PROCAP_EBPF_INTERP_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>

#define EBPF_STACK	512
#define EBPF_MAX_STEPS	(1u << 20)
#define EBPF_MAX_INSNS	(1u << 20)	/* BPF_COMPLEXITY_LIMIT_INSNS, privileged */

/* Fake addresses: a register holding one of these is a pointer to that region. */
#define EBPF_CTX_ADDR	0x100000000ull
#define EBPF_FP_ADDR	(0x200000000ull + EBPF_STACK)
#define EBPF_PKT_ADDR	0x300000000ull		/* packet data (ctx->data) */
#define EBPF_POISON	0xdeadbeefdeadbeefull	/* r1-r5 after a call */

enum ebpf_verdict { EBPF_OK = 0, EBPF_BAD = -1 };

struct ebpf_machine {
	const uint8_t *pkt;
	uint32_t len;		/* skb->len / xdp buffer length: the whole packet */
	uint32_t linear;	/* data_end - data: the part direct reads reach (0 = len) */
	bool xdp;
	uint32_t arg2;		/* procap_filter()'s second argument (flags), in r2 */
	uint8_t stack[EBPF_STACK];
	bool init[EBPF_STACK];	/* stack byte written at least once */
	bool clobbered[11];	/* register is a helper's scratch after a call */
	char why[160];		/* reason for EBPF_BAD */
};

static inline int ebpf_bad(struct ebpf_machine *m, size_t pc, const char *what)
{
	snprintf(m->why, sizeof(m->why), "insn %zu: %s", pc, what);
	return EBPF_BAD;
}

/* Static checks the verifier makes first: known opcodes, jumps inside the program, every
 * instruction reachable, no path falling off the end. */
static inline int ebpf_check_cfg(struct ebpf_machine *m, const struct bpf_insn *p, size_t n)
{
	if (n == 0 || n > EBPF_MAX_INSNS)
		return ebpf_bad(m, 0, "program size");

	bool *seen = calloc(n, sizeof(*seen));
	size_t *stack = calloc(n, sizeof(*stack)), sp = 0;
	int rc = EBPF_OK;

	if (!seen || !stack)
		abort();
	seen[0] = true;
	stack[sp++] = 0;
	while (sp) {
		size_t pc = stack[--sp];
		uint8_t cls = BPF_CLASS(p[pc].code), op = BPF_OP(p[pc].code);
		long next[2] = { (long)pc + 1, -1 };

		if (cls == BPF_JMP || cls == BPF_JMP32) {
			if (op == BPF_EXIT)
				continue;
			if (op == BPF_JA)
				next[0] = (long)pc + 1 + p[pc].off;
			else if (op != BPF_CALL)
				next[1] = (long)pc + 1 + p[pc].off;
		}
		for (int i = 0; i < 2; i++) {
			if (next[i] == -1 && i == 1)
				continue;
			if (next[i] < 0 || (size_t)next[i] >= n) {
				rc = ebpf_bad(m, pc, "jump or fall-through out of the program");
				goto out;
			}
			if (!seen[next[i]]) {
				seen[next[i]] = true;
				stack[sp++] = (size_t)next[i];
			}
		}
	}
	for (size_t pc = 0; pc < n && !rc; pc++)
		if (!seen[pc])
			rc = ebpf_bad(m, pc, "unreachable instruction");
out:
	free(seen);
	free(stack);
	return rc;
}

/* Stack slot for an access of SIZE bytes at ADDR, or -1. */
static inline long ebpf_stack_off(uint64_t addr, uint32_t size)
{
	uint64_t base = EBPF_FP_ADDR - EBPF_STACK;

	if (addr < base || addr + size > EBPF_FP_ADDR)
		return -1;
	return (long)(addr - base);
}

static inline uint64_t ebpf_load(const uint8_t *p, uint32_t size)
{
	uint64_t v = 0;

	memcpy(&v, p, size);	/* little-endian host, as the kernel here */
	return v;
}

static inline int ebpf_helper(struct ebpf_machine *m, size_t pc, int32_t fn, uint64_t *r)
{
	int nargs = fn == BPF_FUNC_xdp_get_buff_len ? 1 : 4;

	for (int i = 1; i <= nargs; i++)
		if (m->clobbered[i])
			return ebpf_bad(m, pc, "helper argument from a clobbered register");
	switch (fn) {
	case BPF_FUNC_skb_load_bytes:
	case BPF_FUNC_xdp_load_bytes: {
		if ((fn == BPF_FUNC_xdp_load_bytes) != m->xdp)
			return ebpf_bad(m, pc, "load helper of the wrong program type");
		if (r[1] != EBPF_CTX_ADDR)
			return ebpf_bad(m, pc, "helper ctx argument is not the context");
		uint32_t off = (uint32_t)r[2], len = (uint32_t)r[4];
		long so = ebpf_stack_off(r[3], len);
		if (len == 0 || so < 0)
			return ebpf_bad(m, pc, "helper buffer outside the stack");
		if ((uint64_t)off + len > m->len) {
			memset(m->stack + so, 0, len);	/* the kernel zeroes it on error */
			r[0] = (uint64_t)(int64_t)-EFAULT;
		} else {
			memcpy(m->stack + so, m->pkt + off, len);
			r[0] = 0;
		}
		memset(m->init + so, true, len);
		break;
	}
	case BPF_FUNC_xdp_get_buff_len:
		if (!m->xdp || r[1] != EBPF_CTX_ADDR)
			return ebpf_bad(m, pc, "bpf_xdp_get_buff_len outside XDP");
		r[0] = m->len;
		break;
	default:
		return ebpf_bad(m, pc, "unexpected helper");
	}
	for (int i = 1; i <= 5; i++) {
		r[i] = EBPF_POISON;
		m->clobbered[i] = true;
	}
	return EBPF_OK;
}

static inline bool ebpf_cond(uint8_t op, uint64_t a, uint64_t b, bool is32)
{
	if (is32) {
		a = (uint32_t)a;
		b = (uint32_t)b;
	}
	int64_t sa = is32 ? (int32_t)a : (int64_t)a, sb = is32 ? (int32_t)b : (int64_t)b;

	switch (op) {
	case BPF_JEQ: return a == b;
	case BPF_JNE: return a != b;
	case BPF_JGT: return a > b;
	case BPF_JGE: return a >= b;
	case BPF_JLT: return a < b;
	case BPF_JLE: return a <= b;
	case BPF_JSET: return (a & b) != 0;
	case BPF_JSGT: return sa > sb;
	case BPF_JSGE: return sa >= sb;
	case BPF_JSLT: return sa < sb;
	case BPF_JSLE: return sa <= sb;
	}
	return false;
}

static inline int ebpf_alu(struct ebpf_machine *m, size_t pc, const struct bpf_insn *in,
			   uint64_t *r)
{
	bool is64 = BPF_CLASS(in->code) == BPF_ALU64;
	uint8_t op = BPF_OP(in->code);
	uint64_t dst = r[in->dst_reg];
	uint64_t src = BPF_SRC(in->code) == BPF_X ? r[in->src_reg] : (uint64_t)(int64_t)in->imm;

	if (BPF_SRC(in->code) == BPF_X && op != BPF_END && m->clobbered[in->src_reg])
		return ebpf_bad(m, pc, "ALU source clobbered by a call");
	if (op != BPF_MOV && m->clobbered[in->dst_reg])
		return ebpf_bad(m, pc, "ALU destination clobbered by a call");
	if (!is64) {
		dst = (uint32_t)dst;
		src = (uint32_t)src;
	}
	unsigned int width = is64 ? 64 : 32;

	switch (op) {
	case BPF_ADD: dst += src; break;
	case BPF_SUB: dst -= src; break;
	case BPF_MUL: dst *= src; break;
	case BPF_DIV: dst = src ? dst / src : 0; break;
	case BPF_MOD: dst = src ? dst % src : dst; break;
	case BPF_OR: dst |= src; break;
	case BPF_AND: dst &= src; break;
	case BPF_XOR: dst ^= src; break;
	case BPF_LSH: dst <<= (src & (width - 1)); break;
	case BPF_RSH: dst >>= (src & (width - 1)); break;
	case BPF_NEG: dst = -dst; break;
	case BPF_MOV: dst = src; break;
	case BPF_END:
		if (BPF_SRC(in->code) != BPF_TO_BE || is64)
			return ebpf_bad(m, pc, "unexpected byte swap");
		if (in->imm == 16)
			dst = __builtin_bswap16((uint16_t)dst);
		else if (in->imm == 32)
			dst = __builtin_bswap32((uint32_t)dst);
		else
			return ebpf_bad(m, pc, "unexpected byte swap width");
		r[in->dst_reg] = dst;
		return EBPF_OK;
	default:
		return ebpf_bad(m, pc, "unexpected ALU op");
	}
	r[in->dst_reg] = is64 ? dst : (uint32_t)dst;
	m->clobbered[in->dst_reg] = BPF_SRC(in->code) == BPF_X && m->clobbered[in->src_reg];
	return EBPF_OK;
}

static inline uint32_t ebpf_linear(const struct ebpf_machine *m)
{
	return m->linear && m->linear < m->len ? m->linear : m->len;
}

/* The context fields a translated filter reads: skb->len, and data/data_end of either context
 * (pointers into the fake packet region). */
static inline int ebpf_ctx_field(const struct ebpf_machine *m, int16_t field, uint32_t size,
				 uint64_t *dst)
{
	size_t off = (size_t)(uint16_t)field;

	if (size != 4 || field < 0)
		return EBPF_BAD;
	if (!m->xdp && off == offsetof(struct __sk_buff, len))
		*dst = m->len;
	else if (off == (m->xdp ? offsetof(struct xdp_md, data) : offsetof(struct __sk_buff, data)))
		*dst = EBPF_PKT_ADDR;
	else if (off == (m->xdp ? offsetof(struct xdp_md, data_end) :
				  offsetof(struct __sk_buff, data_end)))
		*dst = EBPF_PKT_ADDR + ebpf_linear(m);
	else
		return EBPF_BAD;
	return EBPF_OK;
}

static inline int ebpf_mem(struct ebpf_machine *m, size_t pc, const struct bpf_insn *in,
			   uint64_t *r)
{
	static const uint32_t sizes[4] = { 4, 2, 1, 8 };	/* BPF_W, H, B, DW >> 3 */
	uint32_t size = sizes[BPF_SIZE(in->code) >> 3];
	uint8_t cls = BPF_CLASS(in->code);

	if (BPF_MODE(in->code) != BPF_MEM)
		return ebpf_bad(m, pc, "unexpected memory mode");
	if (cls == BPF_LDX) {
		uint64_t addr = r[in->src_reg] + (uint64_t)(int64_t)in->off;
		if (m->clobbered[in->src_reg])
			return ebpf_bad(m, pc, "load through a clobbered register");
		if (r[in->src_reg] == EBPF_CTX_ADDR) {
			if (ebpf_ctx_field(m, in->off, size, &r[in->dst_reg]))
				return ebpf_bad(m, pc, "unexpected context field");
		} else if (addr >= EBPF_PKT_ADDR && addr < EBPF_PKT_ADDR + (1ull << 32)) {
			/* the verifier's packet range check: only bytes before data_end */
			if (addr + size > EBPF_PKT_ADDR + ebpf_linear(m))
				return ebpf_bad(m, pc, "packet read beyond data_end");
			r[in->dst_reg] = ebpf_load(m->pkt + (addr - EBPF_PKT_ADDR), size);
		} else {
			long so = ebpf_stack_off(addr, size);
			if (so < 0)
				return ebpf_bad(m, pc, "load outside the stack");
			for (uint32_t i = 0; i < size; i++)
				if (!m->init[so + i])
					return ebpf_bad(m, pc, "read of uninitialized stack");
			r[in->dst_reg] = ebpf_load(m->stack + so, size);
		}
		m->clobbered[in->dst_reg] = false;
		return EBPF_OK;
	}
	uint64_t addr = r[in->dst_reg] + (uint64_t)(int64_t)in->off;
	uint64_t val = cls == BPF_STX ? r[in->src_reg] : (uint64_t)(int64_t)in->imm;
	long so = ebpf_stack_off(addr, size);

	if (m->clobbered[in->dst_reg] || (cls == BPF_STX && m->clobbered[in->src_reg]))
		return ebpf_bad(m, pc, "store with a clobbered register");
	if (so < 0)
		return ebpf_bad(m, pc, "store outside the stack");
	memcpy(m->stack + so, &val, size);
	memset(m->init + so, true, size);
	return EBPF_OK;
}

/* Runs P[0..n) as the body of procap_filter(ctx, m->arg2) on m->pkt[0..m->len).
 * *ret = r0 at exit. */
static inline int ebpf_run(struct ebpf_machine *m, const struct bpf_insn *p, size_t n,
			   uint64_t *ret)
{
	uint64_t r[11] = { 0 };
	size_t pc = 0;

	if (ebpf_check_cfg(m, p, n))
		return EBPF_BAD;
	memset(m->init, 0, sizeof(m->init));
	for (int i = 0; i < 11; i++)
		m->clobbered[i] = i != 1 && i != 2 && i != 10;	/* ctx, flags and fp on entry */
	r[1] = EBPF_CTX_ADDR;
	r[2] = m->arg2;
	r[10] = EBPF_FP_ADDR;
	for (uint32_t steps = 0; steps < EBPF_MAX_STEPS; steps++) {
		const struct bpf_insn *in = &p[pc];
		uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);

		if (in->dst_reg > 10 || in->src_reg > 10)
			return ebpf_bad(m, pc, "bad register");
		if ((cls == BPF_ALU || cls == BPF_ALU64 || cls == BPF_LDX) && in->dst_reg == 10)
			return ebpf_bad(m, pc, "write to the frame pointer");
		switch (cls) {
		case BPF_ALU:
		case BPF_ALU64:
			if (ebpf_alu(m, pc, in, r))
				return EBPF_BAD;
			pc++;
			break;
		case BPF_LDX:
		case BPF_STX:
		case BPF_ST:
			if (ebpf_mem(m, pc, in, r))
				return EBPF_BAD;
			pc++;
			break;
		case BPF_JMP:
		case BPF_JMP32:
			if (op == BPF_EXIT) {
				if (m->clobbered[0])
					return ebpf_bad(m, pc, "exit with r0 unset");
				*ret = r[0];
				return EBPF_OK;
			}
			if (op == BPF_CALL) {
				if (cls != BPF_JMP || ebpf_helper(m, pc, in->imm, r))
					return EBPF_BAD;
				m->clobbered[0] = false;
				pc++;
				break;
			}
			if (op == BPF_JA) {
				pc += 1 + in->off;
				break;
			}
			uint64_t b = BPF_SRC(in->code) == BPF_X ? r[in->src_reg]
							       : (uint64_t)(int64_t)in->imm;
			if (m->clobbered[in->dst_reg] ||
			    (BPF_SRC(in->code) == BPF_X && m->clobbered[in->src_reg]))
				return ebpf_bad(m, pc, "comparison of a clobbered register");
			pc += ebpf_cond(op, r[in->dst_reg], b, cls == BPF_JMP32) ? 1 + in->off : 1;
			break;
		default:
			return ebpf_bad(m, pc, "unexpected instruction class");
		}
	}
	return ebpf_bad(m, pc, "no exit within the step limit (unbounded loop)");
}

#endif
