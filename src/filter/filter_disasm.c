// SPDX-License-Identifier: BSD-3-Clause
/* Prints translated filters for -d in bpftool's C-like eBPF syntax ("w7 = be16 w7",
 * "if w7 == 0x800 goto 12"), covering every instruction form filter_xlate.c emits. */
#include <stdint.h>
#include <stdio.h>
#include <linux/bpf.h>

#include "filter_int.h"

static const char *alu_op(uint8_t op)
{
	switch (op) {
	case BPF_ADD: return "+=";
	case BPF_SUB: return "-=";
	case BPF_MUL: return "*=";
	case BPF_DIV: return "/=";
	case BPF_OR: return "|=";
	case BPF_AND: return "&=";
	case BPF_LSH: return "<<=";
	case BPF_RSH: return ">>=";
	case BPF_MOD: return "%=";
	case BPF_XOR: return "^=";
	case BPF_MOV: return "=";
	case BPF_ARSH: return "s>>=";
	}
	return "?=";
}

static const char *jmp_op(uint8_t op)
{
	switch (op) {
	case BPF_JEQ: return "==";
	case BPF_JGT: return ">";
	case BPF_JGE: return ">=";
	case BPF_JSET: return "&";
	case BPF_JNE: return "!=";
	case BPF_JLT: return "<";
	case BPF_JLE: return "<=";
	case BPF_JSGT: return "s>";
	case BPF_JSGE: return "s>=";
	case BPF_JSLT: return "s<";
	case BPF_JSLE: return "s<=";
	}
	return "?";
}

static const char *size_name(uint8_t size)
{
	switch (size) {
	case BPF_B: return "u8";
	case BPF_H: return "u16";
	case BPF_W: return "u32";
	case BPF_DW: return "u64";
	}
	return "?";
}

static const char *helper_name(int32_t id)
{
	switch (id) {
	case BPF_FUNC_skb_load_bytes: return "bpf_skb_load_bytes";
	case BPF_FUNC_xdp_load_bytes: return "bpf_xdp_load_bytes";
	case BPF_FUNC_xdp_get_buff_len: return "bpf_xdp_get_buff_len";
	}
	return "helper";
}

static void print_alu(FILE *out, const struct bpf_insn *in)
{
	char r = BPF_CLASS(in->code) == BPF_ALU64 ? 'r' : 'w';
	uint8_t op = BPF_OP(in->code);

	if (op == BPF_END) {
		fprintf(out, "%c%u = %s%d %c%u", r, in->dst_reg,
			BPF_SRC(in->code) == BPF_TO_BE ? "be" : "le", in->imm, r, in->dst_reg);
	} else if (op == BPF_NEG) {
		fprintf(out, "%c%u = -%c%u", r, in->dst_reg, r, in->dst_reg);
	} else if (BPF_SRC(in->code) == BPF_X) {
		fprintf(out, "%c%u %s %c%u", r, in->dst_reg, alu_op(op), r, in->src_reg);
	} else if (r == 'w') {
		fprintf(out, "w%u %s %#x", in->dst_reg, alu_op(op), (uint32_t)in->imm);
	} else {
		fprintf(out, "r%u %s %d", in->dst_reg, alu_op(op), in->imm);
	}
}

static void print_jmp(FILE *out, const struct bpf_insn *in, size_t pc)
{
	char r = BPF_CLASS(in->code) == BPF_JMP32 ? 'w' : 'r';
	uint8_t op = BPF_OP(in->code);
	long to = (long)pc + 1 + in->off;

	if (op == BPF_EXIT) {
		fprintf(out, "exit");
	} else if (op == BPF_CALL) {
		fprintf(out, "call %s#%d", helper_name(in->imm), in->imm);
	} else if (op == BPF_JA) {
		fprintf(out, "goto %03ld", to);
	} else if (BPF_SRC(in->code) == BPF_X) {
		fprintf(out, "if %c%u %s %c%u goto %03ld", r, in->dst_reg, jmp_op(op), r,
			in->src_reg, to);
	} else {
		fprintf(out, "if %c%u %s %#x goto %03ld", r, in->dst_reg, jmp_op(op),
			(uint32_t)in->imm, to);
	}
}

void filter_disasm(FILE *out, const struct bpf_insn *insns, size_t cnt)
{
	for (size_t pc = 0; pc < cnt; pc++) {
		const struct bpf_insn *in = &insns[pc];

		fprintf(out, "(%03zu) ", pc);
		switch (BPF_CLASS(in->code)) {
		case BPF_ALU:
		case BPF_ALU64:
			print_alu(out, in);
			break;
		case BPF_JMP:
		case BPF_JMP32:
			print_jmp(out, in, pc);
			break;
		case BPF_LDX:
			fprintf(out, "r%u = *(%s *)(r%u %+d)", in->dst_reg,
				size_name(BPF_SIZE(in->code)), in->src_reg, in->off);
			break;
		case BPF_STX:
			fprintf(out, "*(%s *)(r%u %+d) = r%u", size_name(BPF_SIZE(in->code)),
				in->dst_reg, in->off, in->src_reg);
			break;
		case BPF_ST:
			fprintf(out, "*(%s *)(r%u %+d) = %d", size_name(BPF_SIZE(in->code)),
				in->dst_reg, in->off, in->imm);
			break;
		default:
			fprintf(out, "code %#04x dst r%u src r%u off %d imm %d", in->code,
				in->dst_reg, in->src_reg, in->off, in->imm);
		}
		fputc('\n', out);
	}
}
