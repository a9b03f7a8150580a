#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Runs one end-to-end test in a private mount namespace (so `ip netns` state and mounts it
# makes cannot leak); the test itself builds its network namespaces and veth pairs.
# Without root the test is skipped (exit 77).
set -u
t=$1
if [ "$(id -u)" != 0 ]; then echo "needs root" >&2; exit 77; fi
exec timeout --kill-after=10 300 unshare -m --propagation private bash "$t"
