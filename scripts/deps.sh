#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Checks procap's Debian build (or test) dependencies. With --install, run as root with something
# missing, it installs it with apt-get and says what it installs (`make deps`, `make test`);
# otherwise it prints the apt-get line and fails (a plain `make` never installs anything).
#   scripts/deps.sh [--install] build   headers, compilers and tools needed by `make`
#   scripts/deps.sh [--install] test    also the reference peers the tests use
set -e
install=0
[ "${1:-}" = --install ] && { install=1; shift; }
what=${1:-build}
missing=""
need_file() { [ -e "$1" ] || missing="$missing $2"; }
need_cmd() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || missing="$missing $2"; }

need_cmd gcc gcc
need_cmd make make
need_cmd clang clang
need_cmd llvm-strip llvm
need_cmd bpftool bpftool
need_cmd pkg-config pkg-config
need_file /usr/include/bpf/libbpf.h libbpf-dev
need_file /usr/include/gelf.h libelf-dev
need_file /usr/include/pcap/pcap.h libpcap-dev
need_file /usr/include/zlib.h zlib1g-dev
need_file /usr/include/openssl/evp.h libssl-dev
if [ "$what" = test ]; then
	need_cmd tcpdump tcpdump
	need_cmd tshark tshark
	need_cmd capinfos wireshark-common
	need_cmd curl curl
	need_cmd openssl openssl
	need_cmd ip iproute2
	need_cmd ethtool ethtool
	need_cmd python3 python3
	need_cmd chromium chromium
	need_cmd iperf3 iperf3
	need_cmd dnsmasq dnsmasq-base	# test_dns_names: a DNS server in a namespace
	need_cmd ping iputils-ping
	need_cmd tmux tmux
	need_cmd xdpdump xdp-tools
	need_cmd valgrind valgrind
	need_cmd setcap libcap2-bin
	need_cmd nghttpd nghttp2-server
	need_cmd podman podman	# containers e2e; runc: crun refuses hybrid cgroup hierarchies
	need_cmd runc runc
	need_file /usr/lib/python3/dist-packages/yaml/__init__.py python3-yaml
	need_file /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a libclang-rt-14-dev
fi
[ -z "$missing" ] && exit 0
# dedupe, keep order
pkgs=$(printf '%s\n' $missing | awk '!seen[$0]++' | tr '\n' ' ')
if [ "$install" = 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "procap: installing missing dependencies: $pkgs"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q $pkgs >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q $pkgs >/dev/null; }
	exit 0
fi
echo "procap: missing $what dependencies; install them with \`make deps\` (as root) or:" >&2
echo "  apt-get install -y $pkgs" >&2
exit 1
