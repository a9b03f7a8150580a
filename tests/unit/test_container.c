// SPDX-License-Identifier: BSD-3-Clause
/* Container identity from runtime state files (src/live/container.c) and the JSON reader under
 * it. Each runtime's state is laid out in a temporary root in that runtime's own format
 * (Docker's config.v2.json, a containerd CRI bundle, containers/storage's containers.json and
 * CRI-O bundle, a libpod BoltDB page holding a container config); the real podman case is the
 * e2e test test_containers_live.sh. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cgroup.h"
#include "check.h"
#include "comment.h"
#include "container.h"
#include "jsonread.h"
#include "proc.h"

#define ID_DOCKER "1111111111111111111111111111111111111111111111111111111111111111"
#define ID_CTRD   "2222222222222222222222222222222222222222222222222222222222222222"
#define ID_CRIO   "3333333333333333333333333333333333333333333333333333333333333333"
#define ID_PODMAN "4444444444444444444444444444444444444444444444444444444444444444"
#define ID_OTHER  "5555555555555555555555555555555555555555555555555555555555555555"

static char root[] = "/tmp/procap-ctr-test.XXXXXX";

static void put(const char *rel, const char *text, size_t n)
{
	char path[512], cmd[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	if (system(cmd))
		return;
	f = fopen(path, "w");
	if (!f)
		return;
	fwrite(text, 1, n, f);
	fclose(f);
}

static void puts_file(const char *rel, const char *text)
{
	put(rel, text, strlen(text));
}

static const char docker_cfg[] =
	"{\"StreamConfig\":{},\"State\":{\"Running\":true,\"Pid\":42},\"ID\":\"" ID_DOCKER "\","
	"\"Created\":\"2024-01-01T00:00:00Z\",\"Path\":\"/pause\",\"Args\":[],"
	"\"Config\":{\"Hostname\":\"x\",\"Env\":[\"A=\\\"b\\\"\"],\"Cmd\":null,"
	"\"Image\":\"registry.test/shop/web:1.2\",\"Volumes\":null,\"Labels\":{"
	"\"io.kubernetes.container.name\":\"web\",\"io.kubernetes.pod.name\":\"web-0\","
	"\"io.kubernetes.pod.namespace\":\"shop\",\"x\":{\"nested\":[1,2.5e3,true,null]}}},"
	"\"Name\":\"/k8s_web_web-0_shop_0\",\"Driver\":\"overlay2\"}";

static const char ctrd_bundle[] =
	"{\"ociVersion\":\"1.1.0\",\"process\":{\"args\":[\"/app\"]},\"annotations\":{"
	"\"io.kubernetes.cri.container-type\":\"container\","
	"\"io.kubernetes.cri.container-name\":\"api\","
	"\"io.kubernetes.cri.image-name\":\"registry.test/api:2\","
	"\"io.kubernetes.cri.sandbox-name\":\"api-7d9\","
	"\"io.kubernetes.cri.sandbox-namespace\":\"prod\"}}";

static const char storage_json[] =
	"[{\"id\":\"" ID_OTHER "\",\"names\":[],\"image\":\"ab\",\"metadata\":\"\"},"
	"{\"id\":\"" ID_CRIO "\",\"names\":[\"k8s_db_db-0_data_uid_0\"],\"image\":\"cd\","
	"\"metadata\":\"{\\\"pod-name\\\":\\\"db-0\\\",\\\"image-name\\\":\\\"registry.test/db:16"
	"\\\",\\\"name\\\":\\\"k8s_db_db-0_data_uid_0\\\"}\"},"
	"{\"id\":\"" ID_PODMAN "\",\"names\":[\"web\",\"alias\"],\"image\":\"ef\","
	"\"metadata\":\"{\\\"image-name\\\":\\\"localhost/box:latest\\\",\\\"name\\\":\\\"web\\\"}\"}]";

static const char crio_bundle[] =
	"{\"annotations\":{\"io.kubernetes.pod.name\":\"db-0\","
	"\"io.kubernetes.pod.namespace\":\"data\",\"io.kubernetes.container.name\":\"db\"}}";

static const char podman_cfg[] =
	"{\"spec\":{\"ociVersion\":\"1.0.2-dev\",\"hostname\":\"" ID_PODMAN "\"},\"id\":\"" ID_PODMAN
	"\",\"name\":\"web\",\"rootfsImageName\":\"localhost/box:latest\",\"labels\":{"
	"\"io.kubernetes.pod.name\":\"web-1\",\"io.kubernetes.pod.namespace\":\"shop\","
	"\"io.kubernetes.container.name\":\"web\"},\"stopSignal\":15}";

static const char other_cfg[] =
	"{\"spec\":{\"ociVersion\":\"1.0.2-dev\"},\"id\":\"" ID_OTHER "\",\"name\":\"x\","
	"\"labels\":{\"io.kubernetes.pod.name\":\"wrong\"}}";

static void make_tree(void)
{
	char bolt[8192];

	puts_file("var/lib/docker/containers/" ID_DOCKER "/config.v2.json", docker_cfg);
	puts_file("run/containerd/io.containerd.runtime.v2.task/k8s.io/" ID_CTRD "/config.json",
		  ctrd_bundle);
	puts_file("var/lib/containers/storage/overlay-containers/containers.json", storage_json);
	puts_file("run/containers/storage/overlay-containers/" ID_CRIO "/userdata/config.json",
		  crio_bundle);
	/* a BoltDB file: page headers and keys in binary around the config values */
	memset(bolt, 0, sizeof(bolt));
	memcpy(bolt + 16, "\x02\x00\x01\x00", 4);
	memcpy(bolt + 100, "config", 6);
	memcpy(bolt + 106, other_cfg, sizeof(other_cfg) - 1);
	memcpy(bolt + 4096 + 40, "config", 6);
	memcpy(bolt + 4096 + 46, podman_cfg, sizeof(podman_cfg) - 1);
	put("var/lib/containers/storage/libpod/bolt_state.db", bolt, sizeof(bolt));
}

static void test_runtimes(void)
{
	struct ctr_table *t = ctr_table_new(root);
	const struct ctr_meta *m;

	m = ctr_lookup(t, ID_DOCKER);
	if (CHECK(m != NULL, "ctr_docker_found")) {
		CHECK_STR(m->name, "k8s_web_web-0_shop_0", "ctr_docker_name");
		CHECK_STR(m->image, "registry.test/shop/web:1.2", "ctr_docker_image");
		CHECK_STR(m->pod, "web-0", "ctr_docker_pod");
		CHECK_STR(m->pod_ns, "shop", "ctr_docker_pod_ns");
		CHECK_STR(m->pod_ctr, "web", "ctr_docker_pod_ctr");
	}
	m = ctr_lookup(t, ID_CTRD);
	if (CHECK(m != NULL, "ctr_containerd_found")) {
		CHECK_STR(m->name, "api", "ctr_containerd_name");
		CHECK_STR(m->image, "registry.test/api:2", "ctr_containerd_image");
		CHECK_STR(m->pod, "api-7d9", "ctr_containerd_pod");
		CHECK_STR(m->pod_ns, "prod", "ctr_containerd_pod_ns");
	}
	m = ctr_lookup(t, ID_CRIO);
	if (CHECK(m != NULL, "ctr_crio_found")) {
		CHECK_STR(m->name, "k8s_db_db-0_data_uid_0", "ctr_crio_name");
		CHECK_STR(m->image, "registry.test/db:16", "ctr_crio_image");
		CHECK_STR(m->pod, "db-0", "ctr_crio_pod");
		CHECK_STR(m->pod_ns, "data", "ctr_crio_pod_ns");
		CHECK_STR(m->pod_ctr, "db", "ctr_crio_pod_ctr");
	}
	m = ctr_lookup(t, ID_PODMAN);
	if (CHECK(m != NULL, "ctr_podman_found")) {
		CHECK_STR(m->name, "web", "ctr_podman_name");
		CHECK_STR(m->image, "localhost/box:latest", "ctr_podman_image");
		CHECK_STR(m->pod, "web-1", "ctr_podman_bolt_pod");
		CHECK_STR(m->pod_ns, "shop", "ctr_podman_bolt_pod_ns");
	}
	CHECK(ctr_lookup(t, "6666666666666666666666666666666666666666666666666666666666666666") ==
		      NULL, "ctr_unknown_id");
	CHECK(ctr_lookup(t, "../../../../etc/passwd") == NULL, "ctr_bad_id");

	/* a container the runtime writes down after the first lookup is found on a later one */
	const char *late = "7777777777777777777777777777777777777777777777777777777777777777";
	CHECK(ctr_lookup(t, late) == NULL, "ctr_late_before");
	puts_file("var/lib/docker/containers/7777777777777777777777777777777777777777777777777777777777777777/config.v2.json",
		  "{\"Name\":\"/late\",\"Config\":{\"Image\":\"i\"}}");
	usleep(250 * 1000);
	m = ctr_lookup(t, late);
	CHECK(m && !strcmp(m->name, "late"), "ctr_late_after");
	ctr_table_free(t);
}

static void test_query(void)
{
	struct ctr_meta m = { .name = "web", .pod = "web-0", .pod_ns = "shop", .pod_ctr = "app" };
	struct ctr_query q = { .container = "web" };

	CHECK(ctr_matches(&q, ID_PODMAN, &m), "ctr_query_name");
	q.container = "app";
	CHECK(ctr_matches(&q, ID_PODMAN, &m), "ctr_query_pod_container");
	q.container = "4444";
	CHECK(ctr_matches(&q, ID_PODMAN, &m), "ctr_query_id_prefix");
	q.container = "444";
	CHECK(!ctr_matches(&q, ID_PODMAN, &m), "ctr_query_short_prefix");
	q.container = "db";
	CHECK(!ctr_matches(&q, ID_PODMAN, &m), "ctr_query_other_name");
	q = (struct ctr_query){ .pod = "web-0", .pod_ns = "shop" };
	CHECK(ctr_matches(&q, ID_PODMAN, &m), "ctr_query_pod");
	q.pod_ns = "prod";
	CHECK(!ctr_matches(&q, ID_PODMAN, &m), "ctr_query_pod_ns");
	q = (struct ctr_query){ .pod = "web-0" };
	CHECK(!ctr_matches(&q, ID_PODMAN, NULL), "ctr_query_unknown");
}

static void test_cgroup_paths(void)
{
	static const struct {
		const char *path, *want;
	} cases[] = {
		{ "/libpod_parent/libpod-" ID_PODMAN, ID_PODMAN },			/* podman, cgroupfs */
		{ "/machine.slice/libpod-" ID_PODMAN ".scope/container", ID_PODMAN },	/* systemd */
		{ "/system.slice/docker-" ID_DOCKER ".scope", ID_DOCKER },
		{ "/docker/" ID_DOCKER, ID_DOCKER },
		{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1234abcd_5678.slice/"
		  "cri-containerd-" ID_CTRD ".scope", ID_CTRD },
		{ "/kubepods/burstable/pod6f1d1e9a-8c1b-4b8e-9d2f-1a2b3c4d5e6f/" ID_CRIO, ID_CRIO },
		{ "/user.slice/user-0.slice/session-1.scope", "" },
		{ "/" ID_CTRD "0", "" },		/* 65 digits: not an id */
	};
	char out[80];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char name[64];
		snprintf(name, sizeof(name), "ctr_cgroup_path_%zu", i);
		proc_container_id(cases[i].path, out, sizeof(out));
		CHECK_STR(out, cases[i].want, name);
	}
}

/* cgroup v1 paths (hybrid and v1-only hosts): the first hierarchy line of /proc/self/cgroup
 * that has controllers and a path below its root, read here with sscanf. */
static void test_cgroup_v1(void)
{
	char line[4096], want[4096] = "", got[4096];
	FILE *f = fopen("/proc/self/cgroup", "r");
	int rc;

	while (f && !want[0] && fgets(line, sizeof(line), f)) {
		char ctl[512], path[3500];
		if (sscanf(line, "%*d:%511[^:]:%3499s", ctl, path) == 2 && strcmp(path, "/"))
			strcpy(want, path);
	}
	if (f)
		fclose(f);
	rc = cgroup_v1_of_pid(getpid(), got, sizeof(got));
	if (!want[0]) {
		CHECK(rc == -ENOENT, "cgroup_v1_none");	/* v2 only, or at every v1 root */
		return;
	}
	CHECK(rc == 0 && !strcmp(got, want), "cgroup_v1_path");
}

/* The comment keys of a container and of the peer survive a write and a read back (-r). */
static void test_comment_roundtrip(void)
{
	struct packet p, q;
	char buf[COMMENT_MAX];

	memset(&p, 0, sizeof(p));
	memset(&q, 0, sizeof(q));
	p.proc.valid = true;
	p.proc.pid = 42;
	p.proc.uid = 0;
	p.proc.source = OWNER_TUPLE;
	snprintf(p.proc.comm, sizeof(p.proc.comm), "curl");
	snprintf(p.proc.container, sizeof(p.proc.container), "%s", ID_PODMAN);
	snprintf(p.proc.ctr.name, sizeof(p.proc.ctr.name), "web");
	snprintf(p.proc.ctr.image, sizeof(p.proc.ctr.image), "localhost/box:latest");
	snprintf(p.proc.ctr.pod, sizeof(p.proc.ctr.pod), "web-0");
	snprintf(p.proc.ctr.pod_ns, sizeof(p.proc.ctr.pod_ns), "shop");
	snprintf(p.proc.ctr.pod_ctr, sizeof(p.proc.ctr.pod_ctr), "app");
	p.peer.valid = true;
	p.peer.pid = 7;
	snprintf(p.peer.comm, sizeof(p.peer.comm), "srv");
	comment_format(&p, NULL, NULL, buf, sizeof(buf));
	CHECK(strstr(buf, "\nContainerName: web\nImage: localhost/box:latest\nPod: web-0\n"
			  "PodNamespace: shop\nPodContainer: app\n") != NULL, "comment_container_keys");
	if (!CHECK(comment_parse(buf, &q), "comment_container_parse"))
		return;
	CHECK(!strcmp(q.proc.ctr.name, "web") && !strcmp(q.proc.ctr.image, "localhost/box:latest") &&
		      !strcmp(q.proc.ctr.pod, "web-0") && !strcmp(q.proc.ctr.pod_ns, "shop") &&
		      !strcmp(q.proc.ctr.pod_ctr, "app") && !strcmp(q.proc.container, ID_PODMAN),
	      "comment_container_roundtrip");
	CHECK(q.peer.valid && q.peer.pid == 7 && !strcmp(q.peer.comm, "srv") && q.proc.pid == 42,
	      "comment_peer_roundtrip");
}

static void test_json_reader(void)
{
	static const char *const path[] = { "Config", "Labels", "io.kubernetes.pod.name", NULL };
	char out[64];
	bool bad = false;

	CHECK(json_get_str(docker_cfg, strlen(docker_cfg), path, out, sizeof(out)) &&
		      !strcmp(out, "web-0"), "json_path");
	static const char esc[] = "{\"k\":\"a\\\"b\\\\c\\u0041\\u00e9\\n\"}";
	static const char *const k[] = { "k", NULL };
	json_get_str(esc, strlen(esc), k, out, sizeof(out));
	CHECK_STR(out, "a\"b\\cA??", "json_escapes");
	json_get_str(esc, strlen(esc), k, out, 3);
	CHECK_STR(out, "a\"", "json_cut");
	/* every truncation of every fixture: no read past the end (ASan), no false find */
	const char *fx[] = { docker_cfg, ctrd_bundle, storage_json, podman_cfg };
	for (size_t f = 0; f < 4; f++) {
		for (size_t n = 0; n < strlen(fx[f]); n++) {
			char *copy = malloc(n ? n : 1);
			struct jcur c;
			memcpy(copy, fx[f], n);
			jc_init(&c, copy, n);
			if (jc_skip(&c))
				bad = true;	/* a cut value is never whole */
			json_get_str(copy, n, path, out, sizeof(out));
			free(copy);
		}
	}
	CHECK(!bad, "json_truncated");
	char deep[300];
	memset(deep, '[', sizeof(deep));
	struct jcur c;
	jc_init(&c, deep, sizeof(deep));
	CHECK(!jc_skip(&c), "json_depth_bound");
}

int main(void)
{
	char cmd[600];

	if (!mkdtemp(root)) {
		SKIP("ctr", "mkdtemp");
		return 0;
	}
	make_tree();
	test_runtimes();
	test_query();
	test_cgroup_paths();
	test_cgroup_v1();
	test_comment_roundtrip();
	test_json_reader();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd))
		return 1;
	return CHECK_EXIT();
}
