// SPDX-License-Identifier: BSD-3-Clause
/* --tls-keys (see sslkeys.h).
 * specification: RFC 8446 §7.1 (HKDF-Expand-Label, Derive-Secret), §7.5 (exporter); NSS key
 * log labels (draft-ietf-tls-keylogfile); OpenSSL 3.0 ssl/ssl_local.h for the facts of the
 * layout (which secrets struct ssl_st keeps: handshake_secret and handshake_traffic_hash, from
 * which the handshake traffic secrets are derived, and the application traffic secrets).
 *
 * Layout recognition: the offsets below were measured on Debian 12's OpenSSL 3.0 build (a
 * program that finds its own key log callback's secrets and client random in its SSL object).
 * A library is used only when the accessors SSL_get_session() and SSL_SESSION_get0_cipher()
 * read exactly the offsets the table expects: fields before `session` moving would move it,
 * and OpenSSL 3.1+ (SSL_CONNECTION) compiles to other code, so such a library is reported
 * as unknown instead of being read at wrong offsets. */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include <linux/types.h>

#include "libfind.h"
#include "sslkeys.h"
#include "sslprobe.h"		/* the BPF ABI, before its skeleton */
#include "sslprobe.skel.h"
#include "tls13_kdf.h"
#include "util.h"

#define TLS1_2_VERSION	0x0303

/* OpenSSL 3.0 (x86-64, as Debian 12 builds 3.0.x) */
static const struct tlsk_layout openssl30 = {
	.version = 0x0, .client_random = 0x160, .session = 0x918,
	.handshake_secret = 0x584, .handshake_traffic_hash = 0x704,
	.client_app_traffic_secret = 0x744, .server_app_traffic_secret = 0x784,
	.exporter_master_secret = 0x7c4,
	.sess_master_key_length = 0x8, .sess_master_key = 0x50, .sess_cipher = 0x2f8,
	.cipher_id = 0x18,
};

struct sslkeys {
	struct sslprobe_bpf *skel;
	struct ring_buffer *rb;
	struct bpf_link *links[LIBFIND_MAX * 2];
	int n_links;
	struct libset libs;
	sslkeys_fn fn;			/* of the running poll */
	void *ctx;
	int fn_err;
};

/* ---- recognising the library ---- */

/* The first bytes of exported function name in the ELF file elf; 0 or -1. */
static int func_bytes(Elf *elf, const char *name, uint8_t *buf, size_t len, int fd)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	size_t nphdr;

	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_DYNSYM)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		size_t n = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;

		for (size_t i = 0; d && i < n; i++) {
			GElf_Sym sym;
			const char *s;

			if (!gelf_getsym(d, (int)i, &sym) || sym.st_shndx == SHN_UNDEF ||
			    GELF_ST_TYPE(sym.st_info) != STT_FUNC)
				continue;
			s = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (!s || strcmp(s, name))
				continue;
			/* the file offset of the address: through its PT_LOAD segment */
			if (elf_getphdrnum(elf, &nphdr))
				return -1;
			for (size_t p = 0; p < nphdr; p++) {
				GElf_Phdr ph;

				if (!gelf_getphdr(elf, (int)p, &ph) || ph.p_type != PT_LOAD ||
				    sym.st_value < ph.p_vaddr ||
				    sym.st_value + len > ph.p_vaddr + ph.p_filesz)
					continue;
				off_t off = (off_t)(sym.st_value - ph.p_vaddr + ph.p_offset);
				return pread(fd, buf, len, off) == (ssize_t)len ? 0 : -1;
			}
			return -1;
		}
	}
	return -1;
}

/* "mov DISP(%rdi),%rax" (48 8b 87 + 32-bit displacement) reading offset disp. */
static bool loads_field(const uint8_t *code, uint32_t disp)
{
	return code[0] == 0x48 && code[1] == 0x8b && code[2] == 0x87 &&
	       (uint32_t)(code[3] | code[4] << 8 | code[5] << 16 | (uint32_t)code[6] << 24) == disp;
}

static bool layout_matches(const char *path, const struct tlsk_layout *l)
{
	uint8_t a[8], b[8];
	bool ok = false;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf *elf;

	if (fd < 0)
		return false;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (elf && !func_bytes(elf, "SSL_get_session", a, sizeof(a), fd) &&
	    !func_bytes(elf, "SSL_SESSION_get0_cipher", b, sizeof(b), fd))
		ok = loads_field(a, l->session) && loads_field(b, l->sess_cipher);
	if (elf)
		elf_end(elf);
	close(fd);
	return ok;
}

/* ---- attaching ---- */

/* Attaches the probes to path (named shown in messages) unless the same file was already
 * seen (a libfind_fn). */
static void attach_lib(void *ctx, const char *path, const char *shown)
{
	struct sslkeys *sp = ctx;
	static const struct { const char *func; bool ret; int prog; } probes[] = {
		{ "SSL_do_handshake", false, 0 }, { "SSL_do_handshake", true, 1 },
	};
	struct bpf_program *progs[2] = {
		sp->skel->progs.ssl_handshake_enter, sp->skel->progs.ssl_handshake_exit,
	};

	if (!libset_add(&sp->libs, path))
		return;
	if (!layout_matches(path, &openssl30)) {
		pr_warn("--tls-keys: %s is not an OpenSSL 3.0 build procap knows; keys of its "
			"processes are not recorded\n", shown);
		return;
	}
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		LIBBPF_OPTS(bpf_uprobe_opts, uo, .func_name = probes[i].func,
			    .retprobe = probes[i].ret);
		struct bpf_link *l = bpf_program__attach_uprobe_opts(progs[probes[i].prog], -1,
								     path, 0, &uo);
		if (!l) {
			pr_warn("--tls-keys: uprobe %s in %s: %s\n", probes[i].func, shown,
				strerror(errno));
			continue;
		}
		sp->links[sp->n_links++] = l;
	}
	pr_debug("--tls-keys: probes on %s\n", shown);
}

/* ---- events ---- */

static size_t hex_line(char *buf, size_t len, const char *label, const uint8_t *random,
		       const uint8_t *secret, size_t secret_len)
{
	size_t n = (size_t)snprintf(buf, len, "%s ", label);

	for (size_t i = 0; i < TLSK_RANDOM_LEN && n + 3 < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%02x", random[i]);
	if (n + 2 < len)
		buf[n++] = ' ';
	for (size_t i = 0; i < secret_len && n + 3 < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%02x", secret[i]);
	if (n + 1 < len)
		buf[n++] = '\n';
	return n;
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct sslkeys *sp = ctx;
	const struct tlsk_event *e = data;
	struct tlskeys_origin who;
	char text[5 * 300];
	size_t n = 0;

	if (size < sizeof(*e))
		return 0;
	memset(&who, 0, sizeof(who));
	who.pid = e->pid;
	who.tid = e->tid;
	memcpy(who.comm, e->comm, sizeof(who.comm) - 1);
	if (e->version == TLS1_2_VERSION) {
		n = hex_line(text, sizeof(text), "CLIENT_RANDOM", e->client_random, e->master_key,
			     TLSK_MASTER_LEN);
	} else {
		/* TLS_AES_256_GCM_SHA384 (0x1302) hashes with SHA-384, the other suites SHA-256 */
		size_t hl = (e->cipher_id & 0xffff) == 0x1302 ? 48 : 32;
		uint8_t chts[48], shts[48];

		/* Derive-Secret(handshake_secret, "c/s hs traffic", ClientHello...ServerHello) */
		if (tls13_expand_label(e->handshake_secret, hl, "c hs traffic",
				       e->handshake_traffic_hash, hl, chts, hl) ||
		    tls13_expand_label(e->handshake_secret, hl, "s hs traffic",
				       e->handshake_traffic_hash, hl, shts, hl))
			return 0;
		n += hex_line(text + n, sizeof(text) - n, "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
			      e->client_random, chts, hl);
		n += hex_line(text + n, sizeof(text) - n, "SERVER_HANDSHAKE_TRAFFIC_SECRET",
			      e->client_random, shts, hl);
		n += hex_line(text + n, sizeof(text) - n, "CLIENT_TRAFFIC_SECRET_0",
			      e->client_random, e->client_app_traffic_secret, hl);
		n += hex_line(text + n, sizeof(text) - n, "SERVER_TRAFFIC_SECRET_0",
			      e->client_random, e->server_app_traffic_secret, hl);
		n += hex_line(text + n, sizeof(text) - n, "EXPORTER_SECRET",
			      e->client_random, e->exporter_master_secret, hl);
	}
	int rc = sp->fn(sp->ctx, text, n, &who);
	if (rc && !sp->fn_err)
		sp->fn_err = rc;
	return 0;
}

/* ---- lifecycle ---- */

struct sslkeys *sslkeys_open(void)
{
	static const char *const usual[] = {
		"/usr/lib/x86_64-linux-gnu/libssl.so.3", "/lib/x86_64-linux-gnu/libssl.so.3",
		"/usr/lib64/libssl.so.3", "/usr/lib/libssl.so.3", "/usr/local/lib64/libssl.so.3",
		"/usr/local/lib/libssl.so.3",
	};
	struct sslkeys *sp = xcalloc(1, sizeof(*sp));
	int err;

	sp->skel = sslprobe_bpf__open();
	if (!sp->skel) {
		pr_warn("--tls-keys: open BPF object: %s\n", strerror(errno));
		goto fail;
	}
	memcpy((void *)&sp->skel->rodata->L, &openssl30, sizeof(openssl30));
	err = sslprobe_bpf__load(sp->skel);
	if (err) {
		pr_warn("--tls-keys: load BPF programs: %s\n", strerror(-err));
		goto fail;
	}
	libfind_each(usual, sizeof(usual) / sizeof(usual[0]), "libssl.so.3", attach_lib, sp);
	if (!sp->n_links) {
		pr_warn("--tls-keys: no OpenSSL 3.0 libssl.so.3 to attach to\n");
		goto fail;
	}
	sp->rb = ring_buffer__new(bpf_map__fd(sp->skel->maps.tls_events), on_event, sp, NULL);
	if (!sp->rb) {
		pr_warn("--tls-keys: ring buffer: %s\n", strerror(errno));
		goto fail;
	}
	return sp;
fail:
	sslkeys_close(sp);
	return NULL;
}

int sslkeys_fd(const struct sslkeys *sp)
{
	return ring_buffer__epoll_fd(sp->rb);
}

int sslkeys_poll(struct sslkeys *sp, sslkeys_fn fn, void *ctx)
{
	sp->fn = fn;
	sp->ctx = ctx;
	sp->fn_err = 0;
	ring_buffer__consume(sp->rb);
	return sp->fn_err;
}

void sslkeys_close(struct sslkeys *sp)
{
	if (!sp)
		return;
	ring_buffer__free(sp->rb);
	for (int i = 0; i < sp->n_links; i++)
		bpf_link__destroy(sp->links[i]);
	sslprobe_bpf__destroy(sp->skel);
	free(sp);
}
