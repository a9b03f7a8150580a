#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Containers, with real podman containers (runc, cgroupfs: what works on hybrid cgroups): two
# containers, one of them pod-shaped (the io.kubernetes.* labels a kubelet sets), each run one
# ctr_peer process that serves HTTP and calls the host's server and the other container. The
# reference for "which container" is the runtime: `podman inspect` gives each container's PID,
# and the packets procap gives those PIDs must carry that container's names; a host process's
# must carry none.
#   identity      procap -i any names every container-owned packet with its container
#                 (comment keys read by tshark, JSON, live text "COMM.PID@NAME")
#   --container   the container started after procap: only packets it sends or receives
#                 (owner or peer, as every process filter), all of them
#   --pod         the pod-shaped container, running before procap: likewise
#   image         `make image`'s image (scripts/image.sh), run by podman the way
#                 deploy/procap-daemonset.yaml runs it (flags derived from the manifest):
#                 its file reads in tshark and names host and container processes
NS=pcc$$
source "$(dirname "$0")/live_lib.sh"
need podman runc tshark python3
PEER=$ROOT/${OUT:-build}/tests/tools/ctr_peer
[ -x "$PEER" ] || { echo "SKIP $(basename "$0"): $PEER not built"; exit 0; }

P=(podman --runtime runc --cgroup-manager cgroupfs)
RUNOPTS=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)
WEB=web$$ API=api$$ IMG=localhost/procap-peer:e2e$$
CTRS=()
CAPIMG=localhost/procap:e2e$$
ctr_cleanup() {
	for c in "${CTRS[@]}"; do "${P[@]}" rm -f -t 0 "$c" >/dev/null 2>&1; done
	"${P[@]}" rmi -f $CAPIMG $IMG >/dev/null 2>&1
	cleanup
}
trap ctr_cleanup EXIT

# An image without a registry: ctr_peer and its libraries (podman import of a tarball).
R=$T/rootfs
mkdir -p "$R/bin" "$T/trig"
cp "$PEER" "$R/bin/"
for l in $(ldd "$PEER" | awk '/=>/ { print $3 } /ld-linux/ { print $1 }'); do
	mkdir -p "$R$(dirname "$l")" && cp -L "$l" "$R$l"
done
tar -C "$R" -cf "$T/rootfs.tar" . && "${P[@]}" import -q "$T/rootfs.tar" $IMG >/dev/null ||
	{ echo "SKIP $(basename "$0"): podman import failed"; exit 0; }

# run_ctr NAME LABELS...: starts a peer container; prints nothing, sets CPID and CIP.
run_ctr() {
	local name=$1
	shift
	CTRS+=("$name")
	"${P[@]}" run -d "${RUNOPTS[@]}" --name "$name" -v "$T/trig:/trig:ro" "$@" $IMG \
		/bin/ctr_peer 8080 5 "/trig/$name.go" "$name" >/dev/null 2>"$T/$name.run" ||
		{ fail "podman_run_$name" "$(tail -1 "$T/$name.run")"; exit 0; }
	CPID=$("${P[@]}" inspect -f '{{.State.Pid}}' "$name")
	CIP=$("${P[@]}" inspect -f '{{.NetworkSettings.IPAddress}}' "$name")
}

# bg_procap NAME ARGS...: procap in the root namespace, like start_procap.
bg_procap() {
	local name=$1
	shift
	"$PROCAP" "$@" >"$T/$name.out" 2>"$T/$name.err" &
	PIDS+=($!)
	eval "PID_$name=$!"
}

run_ctr $API --label io.kubernetes.pod.name=api-0 --label io.kubernetes.pod.namespace=shop \
	--label io.kubernetes.container.name=api
API_PID=$CPID API_IP=$CIP
BRIDGE=$(podman_bridge)
GW=$(ip -4 -o addr show "${BRIDGE:-podman0}" | awk '{ split($4, a, "/"); print a[1]; exit }')
[ -n "$GW" ] || { fail podman_bridge "no address on podman's bridge '${BRIDGE:-podman0}'"; exit 0; }
python3 -m http.server 18080 --bind "$GW" >/dev/null 2>&1 &
HOST_SRV=$!
PIDS+=($HOST_SRV)

# the image, run as the DaemonSet runs it: its podman flags come from the manifest
mkdir -p "$T/node"
if ! "$ROOT/scripts/image.sh" "$ROOT/${OUT:-build}" $CAPIMG >"$T/image.log" 2>&1; then
	fail make_image "$(tail -1 "$T/image.log")"
elif ! python3 - "$ROOT/deploy/procap-daemonset.yaml" "$T/node" >"$T/podman.args" <<'PYEOF'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
assert d["apiVersion"] == "apps/v1" and d["kind"] == "DaemonSet", "not an apps/v1 DaemonSet"
spec = d["spec"]; pod = spec["template"]["spec"]
labels = spec["template"]["metadata"]["labels"]
assert all(labels.get(k) == v for k, v in spec["selector"]["matchLabels"].items()), "selector"
c = pod["containers"][0]; sc = c["securityContext"]
vols = {v["name"]: v for v in pod["volumes"]}
out = []
if pod.get("hostPID"): out += ["--pid", "host"]
if pod.get("hostNetwork"): out += ["--net", "host"]
out += ["--cgroupns", "host", "--cap-drop", "ALL"]
out += ["--cap-add", ",".join(sc["capabilities"]["add"])]
assert not sc.get("privileged"), "privileged"
if sc["seccompProfile"]["type"] == "Unconfined": out += ["--security-opt", "seccomp=unconfined"]
if sc.get("readOnlyRootFilesystem"): out += ["--read-only"]
for e in c.get("env", []): out += ["-e", "%s=%s" % (e["name"], e["value"])]
for m in c["volumeMounts"]:
    v = vols[m["name"]]
    if "emptyDir" in v: out += ["--tmpfs", m["mountPath"]]; continue
    host = sys.argv[2] if m["mountPath"] == "/var/log/procap" else v["hostPath"]["path"]
    out += ["-v", "%s:%s%s" % (host, m["mountPath"], ":ro" if m.get("readOnly") else "")]
out += ["@IMAGE@"] + c["args"]
print("\n".join(out))
PYEOF
then
	fail daemonset_manifest "$(tail -1 "$T/podman.args")"
else
	pass daemonset_manifest
	mapfile -t NODE_ARGS < <(sed "s|@IMAGE@|$CAPIMG|" "$T/podman.args")
	mkdir -p /run/containerd /var/lib/docker/containers	# hostPath DirectoryOrCreate
	CTRS+=(node$$)
	"${P[@]}" run -d "${RUNOPTS[@]}" --name node$$ "${NODE_ARGS[@]}" >/dev/null 2>"$T/node.run" ||
		fail image_run "$(tail -1 "$T/node.run")"
fi

bg_procap all -i any -w "$T/all.pcapng" --print
bg_procap web --container $WEB -w "$T/web.pcapng"
bg_procap pod --pod api-0 --pod-namespace shop -w "$T/pod.pcapng"
bg_procap json -i any --json
for n in all web pod json; do
	wait_for "$T/$n.err" "listening on" || fail "start_$n" "$(head -3 "$T/$n.err")"
done
for i in $(seq 50); do	# the image's procap: its log is podman's
	"${P[@]}" logs node$$ 2>&1 | grep -q "listening on" && break
	sleep 0.2
done

# started after procap: named and filtered too
run_ctr $WEB
WEB_PID=$CPID WEB_IP=$CIP
echo "$GW:18080 $API_IP:8080" >"$T/trig/x" && mv "$T/trig/x" "$T/trig/$WEB.go"
echo "$GW:18080 $WEB_IP:8080" >"$T/trig/x" && mv "$T/trig/x" "$T/trig/$API.go"
for i in $(seq 100); do	# each peer says when its 10 calls are done
	DONE=$("${P[@]}" logs $WEB 2>&1; "${P[@]}" logs $API 2>&1)
	[ "$(echo "$DONE" | grep -c answered)" = 2 ] && break
	sleep 0.2
done
check peers_answered "$(echo "$DONE" | grep -o '[0-9]*/[0-9]* answered' | tr '\n' ' ')" \
	"10/10 answered 10/10 answered "
sleep 0.3
for n in all web pod json; do stop "$(eval echo \$PID_$n)"; done
"${P[@]}" stop -t 10 node$$ >/dev/null 2>&1	# SIGTERM, as the kubelet stops a pod

# owner PID -> container names, for every packet of a file (tshark reads the comments)
owners() {
	tshark -r "$1" -T fields -e frame.comment 2>/dev/null |
		awk -F'\\\\n' '{ pid = "-"; name = "-"; pod = "-"; ns = "-"; peer = "-"
			for (i = 1; i <= NF; i++) {
				if ($i ~ /^PID: /) pid = substr($i, 6)
				if ($i ~ /^PeerPID: /) peer = substr($i, 10)
				if ($i ~ /^ContainerName: /) name = substr($i, 16)
				if ($i ~ /^Pod: /) pod = substr($i, 6)
				if ($i ~ /^PodNamespace: /) ns = substr($i, 15)
			}
			print pid, name, pod, ns, peer }'
}
owners "$T/all.pcapng" >"$T/all.own"
n_web=$(awk -v p=$WEB_PID '$1 == p' "$T/all.own" | wc -l)
n_api=$(awk -v p=$API_PID '$1 == p' "$T/all.own" | wc -l)
# Which end of a flow owns its packets on the host's interfaces is attribution's business (the
# host's server, the receiving container, the sender); each container owns some: the checks
# below are about those.
check_ge web_packets_attributed "$n_web" 1
check_ge api_packets_attributed "$n_api" 1
check web_named "$(awk -v p=$WEB_PID '$1 == p && $2 != "'$WEB'"' "$T/all.own" | wc -l)" 0
check api_named "$(awk -v p=$API_PID '$1 == p && !($2 == "'$API'" && $3 == "api-0" && $4 == "shop")' \
	"$T/all.own" | wc -l)" 0
check host_unnamed "$(awk -v w=$WEB_PID -v a=$API_PID '$1 != "-" && $1 != w && $1 != a && $2 != "-"' \
	"$T/all.own" | wc -l)" 0
# how much of the containers' traffic seen on the host has an owner (attribution's share)
n_ctr_ip=$(tshark -r "$T/all.pcapng" -Y "ip.addr == $WEB_IP || ip.addr == $API_IP" 2>/dev/null | wc -l)
n_owned=$(tshark -r "$T/all.pcapng" -Y "(ip.addr == $WEB_IP || ip.addr == $API_IP) && frame.comment contains \"PID: \"" 2>/dev/null | wc -l)
echo "# container-address packets with an owner: $n_owned of $n_ctr_ip; owned by $WEB: $n_web, by $API: $n_api"
check_ge container_packets_owned_permille "$((n_owned * 1000 / (n_ctr_ip ? n_ctr_ip : 1)))" 995

# the live line: COMM.PID@NAME, and @POD/CONTAINER for the pod-shaped one
check text_tag_web "$(grep -c " ctr_peer\.$WEB_PID@$WEB " "$T/all.out")" "$n_web"
check text_tag_pod "$(grep -c " ctr_peer\.$API_PID@api-0/api " "$T/all.out")" "$n_api"
own="\"caplen\":[0-9]*,\"pid\":"	# the owner's pid (a peer's comes later)
check json_names "$(grep -c "$own$WEB_PID,.*\"container_name\":\"$WEB\",\"image\":\"$IMG\"" "$T/json.out")/$(grep -c "$own$API_PID,.*\"pod\":\"api-0\",\"pod_namespace\":\"shop\",\"pod_container\":\"api\"" "$T/json.out")" \
	"$(grep -c "$own$WEB_PID," "$T/json.out")/$(grep -c "$own$API_PID," "$T/json.out")"

# --container: the late container's packets (it sent or received them), every one of them
owners "$T/web.pcapng" >"$T/web.own"
check container_filter_only "$(awk -v p=$WEB_PID '$1 != p && $5 != p' "$T/web.own" | wc -l)" 0
check container_filter_all "$(wc -l <"$T/web.own")" \
	"$(awk -v p=$WEB_PID '$1 == p || $5 == p' "$T/all.own" | wc -l)"
# on replay the same options select by the names in the comments (the owner's, as -r does)
"$PROCAP" -r "$T/all.pcapng" --container $WEB -w "$T/replay.pcapng" 2>/dev/null
check replay_container_filter "$(owners "$T/replay.pcapng" | awk -v p=$WEB_PID '$1 == p' | wc -l)/$(
	owners "$T/replay.pcapng" | wc -l)" "$n_web/$n_web"
# --pod --pod-namespace: the running pod-shaped container's
owners "$T/pod.pcapng" >"$T/pod.own"
check pod_filter_only "$(awk -v p=$API_PID '$1 != p && $5 != p' "$T/pod.own" | wc -l)" 0
check pod_filter_all "$(wc -l <"$T/pod.own")" \
	"$(awk -v p=$API_PID '$1 == p || $5 == p' "$T/all.own" | wc -l)"

# the image's capture: a pcapng tshark reads, the host's server and the containers named
node=$(ls "$T/node/"node.pcapng* 2>/dev/null | head -1)
if [ -z "$node" ]; then
	fail image_capture "no file ($("${P[@]}" logs node$$ 2>&1 | tail -1))"
else
	owners "$node" >"$T/node.own"
	check_ge image_packets "$(wc -l <"$T/node.own")" 20
	check_ge image_host_named "$(awk -v p=$HOST_SRV '$1 == p' "$T/node.own" | wc -l)" 1
	check_ge image_container_named "$(awk -v p=$WEB_PID -v n=$WEB '$1 == p && $2 == n' "$T/node.own" | wc -l)" 1
	check image_container_right "$(awk -v p=$WEB_PID -v q=$API_PID '($1 == p && $2 != "'$WEB'") || ($1 == q && $3 != "api-0")' "$T/node.own" | wc -l)" 0
fi
