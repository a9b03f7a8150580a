#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# A socket used by more than one process: each packet names the process whose system call sent
# it, not the one that created the socket. Every sender writes its own PID (os.getpid()) into
# the payload, so the reference is the sender itself; tshark reads both the payload and
# procap's pcapng comment.
#  - UDP: the parent creates a socket and sends, a forked child sends on the inherited socket,
#    then the parent again (one unconnected socket, three senders in turn).
#  - UDP threads: two threads of one process take turns on one socket; each datagram names
#    its thread (TID, written by the thread as threading.get_native_id()).
#  - TCP prefork: the parent listens, a forked worker accepts and answers; the answer is the
#    worker's, and the client's next request reaches the worker (learned from its answer).
set -u
NS=lvsh$$
. "$(dirname "$0")/live_lib.sh"
need tshark python3
netns_up

start_procap cli $A -n -i ${A}0 -w "$T/cli.pcapng"
CLI=$LAST_PID
start_procap srv $B -n -i ${B}0 -w "$T/srv.pcapng"
SRV=$LAST_PID

# --- UDP: parent, child, grandchild-free turn-taking on one inherited socket
ip netns exec $A timeout 10 python3 -c "
import os, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
def send(tag):
    s.sendto(b'%s pid=%d;' % (tag, os.getpid()), ('$B4', 5600))
send(b'parent1')
c = os.fork()
if c == 0:
    send(b'child1'); send(b'child2'); os._exit(0)
os.waitpid(c, 0)
send(b'parent2')
" || fail udp_senders "python exited $?"

# --- UDP threads: one socket, two threads alternating (each waits for the other's turn)
ip netns exec $A timeout 10 python3 -c "
import os, socket, threading
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
turns = [threading.Semaphore(1), threading.Semaphore(0)]
def sender(me):
    for i in range(3):
        turns[me].acquire()
        s.sendto(b'thread%d tid=%d;' % (me, threading.get_native_id()), ('$B4', 5602))
        turns[1 - me].release()
ts = [threading.Thread(target=sender, args=(k,)) for k in (0, 1)]
for t in ts: t.start()
for t in ts: t.join()
" || fail udp_threads "python exited $?"

# --- TCP prefork: listener in the parent, accept and reply in a forked worker
ip netns exec $B timeout 10 python3 -c "
import os, socket
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(('$B4', 5601)); l.listen(4)
open('$T/listening', 'w').write('ok')
w = os.fork()
if w == 0:
    a, _ = l.accept()
    for i in range(2):
        a.recv(100); a.sendall(b'worker%d pid=%d;' % (i, os.getpid()))
    a.close(); os._exit(0)
os.waitpid(w, 0)
" &
PRE=$!
wait_for "$T/listening" ok $PRE
ip netns exec $A timeout 10 python3 -c "
import socket, time
c = socket.create_connection(('$B4', 5601), timeout=5)
for i in range(2):
    c.sendall(b'ask%d' % i); c.recv(100); time.sleep(0.1)
c.close()
" || fail tcp_client "python exited $?"
wait $PRE || fail tcp_worker "python exited $?"
sleep 0.3
stop $CLI
stop $SRV

# "PAYLOAD|COMMENT" per packet -> "id-in-payload id-in-comment" per line; KEY pid or tid: the
# payload says "pid=N;" / "tid=N;", procap's comment "PID: N" / "TID: N"
ids() { # FILE FILTER KEY
	fields "$1" "$2" data.data frame.comment | python3 -c "
import re, sys
key = sys.argv[1]
for line in sys.stdin:
    data, _, comment = line.rstrip('\n').partition('|')
    text = bytes.fromhex(data.replace(':', '')).decode('ascii', 'replace')
    said = re.search(key + r'=(\d+);', text)
    named = re.search(key.upper() + r': (\d+)\\\\n', comment)
    print(said.group(1) if said else '-', named.group(1) if named else '-')
" "$3"
}

udp=$(ids "$T/cli.pcapng" "udp.dstport==5600 && !icmp" pid)
check udp_datagrams "$(echo "$udp" | grep -c .)" 4
check udp_each_by_its_sender "$(echo "$udp" | awk '$1 != $2' | wc -l)" 0
check udp_two_senders "$(echo "$udp" | awk '{print $1}' | sort -u | wc -l)" 2
check udp_by_socket "$(fields "$T/cli.pcapng" "udp.dstport==5600 && !icmp" frame.comment |
	grep -c 'Source: cookie')" 4

# per datagram of the two threads: its thread as it said and as procap named it
thr=$(ids "$T/cli.pcapng" "udp.dstport==5602 && !icmp" tid)
check thread_datagrams "$(echo "$thr" | grep -c .)" 6
check thread_each_by_its_thread "$(echo "$thr" | awk '$1 != $2' | wc -l)" 0
check thread_two_threads "$(echo "$thr" | awk '{print $1}' | sort -u | wc -l)" 2

tcp=$(ids "$T/srv.pcapng" "tcp.srcport==5601 && tcp.len>0" pid)
check tcp_worker_answers "$(echo "$tcp" | grep -c .)" 2
check tcp_answers_by_worker "$(echo "$tcp" | awk '$1 != $2' | wc -l)" 0
worker=$(echo "$tcp" | awk 'NR==1 {print $1}')
# the client's second request arrives after the worker's first answer taught the tuple map
check tcp_request_to_worker "$(fields "$T/srv.pcapng" "tcp.dstport==5601 && tcp.payload==61:73:6b:31" \
	frame.comment | grep -c "PID: $worker\\\\n")" 1
