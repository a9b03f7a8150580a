#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# make image: a container image of procap, built offline. The image holds procap, the shared
# libraries it links (found with ldd) and nothing else (no shell, no package manager): the
# BPF programs are inside the binary. It is imported from a tarball, so no registry and no
# base image are needed: podman import, or docker import where podman is absent.
#   scripts/image.sh [BUILD_DIR [TAG]]     (defaults: build, localhost/procap:latest)
# CONTAINER_ENGINE=docker picks the engine. deploy/procap-daemonset.yaml runs the image.
set -eu
build=${1:-build}
tag=${2:-localhost/procap:latest}
engine=${CONTAINER_ENGINE:-$(command -v podman || command -v docker || true)}
[ -x "$build/procap" ] || { echo "image: $build/procap not built (make first)" >&2; exit 1; }
[ -n "$engine" ] || { echo "image: neither podman nor docker found" >&2; exit 1; }
root=$(mktemp -d)
trap 'rm -rf "$root" "$root.tar"' EXIT
mkdir -p "$root/usr/bin" "$root/var/log/procap" "$root/host" "$root/tmp"
chmod 1777 "$root/tmp"	# procap may mount the cgroup hierarchy on a private directory there
cp "$build/procap" "$root/usr/bin/procap"
for lib in $(ldd "$build/procap" | awk '/=>/ { print $3 } /ld-linux/ { print $1 }'); do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
tar -C "$root" --owner=0 --group=0 -cf "$root.tar" .
"$engine" import -q --change 'ENTRYPOINT ["/usr/bin/procap"]' \
	--change 'ENV PROCAP_HOST_ROOT=/host' "$root.tar" "$tag" >/dev/null
echo "image $tag ($(du -sh "$root" | cut -f1), $engine)"
