// SPDX-License-Identifier: BSD-3-Clause
/* pcap filter expressions in the kernel: libpcap compiles the expression to classic BPF, procap
 * translates that to eBPF (filter_xlate.c) and splices it into the capture programs' __noinline
 * stub procap_filter() (bpf/filter_stub.bpf.h) while libbpf loads them (filter_splice.c).
 *
 * Loader sequence (libbpf 1.1):
 *	filter_compile(expr, linktype, snaplen, &fp, err, sizeof(err));	// also registers
 *	skel = capture_bpf__open();		// the SEC("tc"/"xdp") handlers are now ours
 *	filter_attach_to_object(skel->obj, fp);	// before load
 *	if (capture_bpf__load(skel)) pr_warn("%s\n", filter_load_error(skel->obj) ?: "...");
 *	filter_detach_object(skel->obj);	// after load, success or not
 * Without a filter nothing needs to be called: the stub's own body accepts every packet. */
#ifndef PROCAP_FILTER_H
#define PROCAP_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct bpf_object;
struct options;

/* Program types the translated filter can run in: the packet helpers differ. */
enum filter_ctx {
	FILTER_CTX_SKB,		/* TC (sched_cls): bpf_skb_load_bytes, skb->len */
	FILTER_CTX_XDP,		/* XDP: bpf_xdp_load_bytes, bpf_xdp_get_buff_len */
};

/* A compiled filter: the classic program and its eBPF translation for both contexts. */
struct filter_prog;

/* Compile EXPR for LINKTYPE (a DLT_* value, e.g. DLT_EN10MB) and SNAPLEN (cBPF "ret #k"
 * values). For DLT_EN10MB the expression is also compiled for raw IP (DLT_RAW) and the body
 * runs that program when the call site passes PROCAP_FILTER_L3 (L3 devices: tun, wireguard),
 * so L2 fields behave there as in tcpdump on such a device (an expression libpcap refuses for
 * raw IP matches nothing there). On error returns -EINVAL with a one-line reason in err
 * ("bad filter expression 'EXPR': <libpcap message>", without the "procap: " prefix). Also
 * registers the libbpf program handlers (filter_register_handlers), so call it before opening
 * the BPF object. */
int filter_compile(const char *expr, int linktype, uint32_t snaplen, struct filter_prog **out,
		   char *err, size_t errlen);
void filter_free(struct filter_prog *fp);

/* The link type the capture programs see on IFNAME at TC/XDP: DLT_EN10MB for Ethernet and
 * loopback, DLT_RAW for L3 devices (tun, wireguard, ...). NULL ("any"): DLT_EN10MB. */
int filter_linktype_of(const char *ifname);

/* Register procap's handlers for SEC("tc"), SEC("xdp") and SEC("xdp.frags") with libbpf; they
 * behave like libbpf's own and additionally splice the filter at load time. Idempotent. Must
 * run BEFORE bpf_object__open()/skel__open(): libbpf binds section handlers at open. */
int filter_register_handlers(void);

/* Between open and load: every program of OBJ that calls procap_filter() gets FP's
 * translation instead of the stub's body. FP must stay alive until filter_detach_object().
 * Returns -EINVAL if OBJ was opened before the handlers were registered. */
int filter_attach_to_object(struct bpf_object *obj, const struct filter_prog *fp);

/* After a failed load: "filter rejected by the kernel verifier: <reason>" (the last
 * meaningful line of the verifier log) when the failure was in a spliced program, else NULL.
 * Valid until filter_detach_object(). */
const char *filter_load_error(const struct bpf_object *obj);

/* Forget OBJ (frees the splice state and log buffers). Safe to call when never attached. */
void filter_detach_object(struct bpf_object *obj);

/* -d: the classic program exactly as `tcpdump -d` prints it, then the eBPF body for CTX. */
void filter_dump(FILE *out, const struct filter_prog *fp, enum filter_ctx ctx);

/* -d from main(): compile o->filter for the first -i interface's link type (Ethernet when
 * none), print it, return the exit code (0, or 1 after a one-line error). -dd and -ddd print
 * only the classic program, as C initializers or as decimal numbers (tcpdump's forms). */
int filter_dump_main(const struct options *o);

/* Access for tests and the splicer. struct bpf_insn here is the eBPF one (linux/bpf.h); a
 * file that also includes pcap.h must rename pcap's struct bpf_insn before including it. */
struct bpf_insn;
const struct bpf_insn *filter_insns(const struct filter_prog *fp, enum filter_ctx ctx,
				    size_t *cnt);
size_t filter_classic_len(const struct filter_prog *fp);
/* The same for the raw-IP program run on L3 devices (0 when libpcap refused it). */
uint32_t filter_classic_run_l3(const struct filter_prog *fp, const uint8_t *pkt, uint32_t caplen,
			       uint32_t wirelen);
/* Tests: whether the classic program (raw-IP half with l3) runs past cbpf.c's step budget on
 * pkt, i.e. libpcap's bpf_filter() would not return (protochain on a crafted chain). */
bool filter_classic_endless(const struct filter_prog *fp, bool l3, const uint8_t *pkt,
			    uint32_t caplen, uint32_t wirelen);
/* The classic program (linux/filter.h's struct sock_filter, libpcap's layout). */
struct sock_filter;
const struct sock_filter *filter_classic_insns(const struct filter_prog *fp, size_t *cnt);
/* Tests: a filter from a hand-written classic program instead of an expression. */
int filter_from_classic(const struct sock_filter *insns, size_t n, struct filter_prog **out,
			char *err, size_t errlen);
/* libpcap's own interpreter, bpf_filter(), on the same program: the reference verdict. */
uint32_t filter_classic_run(const struct filter_prog *fp, const uint8_t *pkt, uint32_t caplen,
			    uint32_t wirelen);

#endif
