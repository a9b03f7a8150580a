-- SPDX-License-Identifier: BSD-3-Clause
-- procap's Wireshark plugin (Wireshark/tshark 4.0 and later): turns procap's per-packet pcapng
-- comment ("Key: value" lines, documented in procap(8), "THE PCAPNG COMMENT") into fields that
-- work as columns and display filters:
--   procap.pid procap.tid procap.comm procap.exe procap.args procap.ppid procap.uid
--   procap.cgroup procap.container procap.container_name procap.image procap.pod
--   procap.pod_namespace procap.pod_container procap.source procap.sni procap.ja4
--   procap.peer.pid procap.peer.tid procap.peer.comm procap.peer.exe procap.peer.container
--   procap.record ("full" or "short") and procap.from_frame (the frame whose full comment a short
--   one was completed from)
-- procap writes the full comment on the first packet of each flow and when its owner changes,
-- and a short one (PID, TID, Cmd, Container, Source) on the others: for those the plugin takes
-- the missing keys from the flow's last comment with the same PID, so every packet of a flow has
-- every field. Install: copy to the personal plugin folder (~/.local/lib/wireshark/plugins/) or
-- `make install`; or run `tshark -X lua_script:procap.lua ...`.

local procap = Proto("procap", "procap process")

local f = {
	pid = ProtoField.uint32("procap.pid", "PID"),
	tid = ProtoField.uint32("procap.tid", "TID"),
	comm = ProtoField.string("procap.comm", "Command"),
	exe = ProtoField.string("procap.exe", "Executable"),
	args = ProtoField.string("procap.args", "Arguments"),
	ppid = ProtoField.uint32("procap.ppid", "Parent PID"),
	uid = ProtoField.uint32("procap.uid", "UID"),
	cgroup = ProtoField.string("procap.cgroup", "Cgroup"),
	container = ProtoField.string("procap.container", "Container"),
	ctr_name = ProtoField.string("procap.container_name", "Container name"),
	image = ProtoField.string("procap.image", "Container image"),
	pod = ProtoField.string("procap.pod", "Pod"),
	pod_ns = ProtoField.string("procap.pod_namespace", "Pod namespace"),
	pod_ctr = ProtoField.string("procap.pod_container", "Pod container"),
	peer_pid = ProtoField.uint32("procap.peer.pid", "Peer PID"),
	peer_tid = ProtoField.uint32("procap.peer.tid", "Peer TID"),
	peer_comm = ProtoField.string("procap.peer.comm", "Peer command"),
	peer_exe = ProtoField.string("procap.peer.exe", "Peer executable"),
	peer_ctr = ProtoField.string("procap.peer.container", "Peer container"),
	source = ProtoField.string("procap.source", "Owner source"),
	sni = ProtoField.string("procap.sni", "TLS/QUIC SNI"),
	ja4 = ProtoField.string("procap.ja4", "JA4"),
	record = ProtoField.string("procap.record", "Comment"),
	from_frame = ProtoField.framenum("procap.from_frame", "Completed from frame"),
}
procap.fields = {}
for _, field in pairs(f) do table.insert(procap.fields, field) end

-- comment key -> field, in the order procap writes them; numeric keys are converted
local keys = {
	{ "PID", f.pid, true }, { "TID", f.tid, true }, { "Cmd", f.comm }, { "Exe", f.exe },
	{ "Args", f.args }, { "PPID", f.ppid, true }, { "UID", f.uid, true },
	{ "Cgroup", f.cgroup }, { "Container", f.container }, { "ContainerName", f.ctr_name },
	{ "Image", f.image }, { "Pod", f.pod }, { "PodNamespace", f.pod_ns },
	{ "PodContainer", f.pod_ctr }, { "Source", f.source }, { "PeerPID", f.peer_pid, true },
	{ "PeerTID", f.peer_tid, true }, { "PeerCmd", f.peer_comm }, { "PeerExe", f.peer_exe },
	{ "PeerContainer", f.peer_ctr }, { "SNI", f.sni }, { "JA4", f.ja4 },
}
local known = {}
for _, k in ipairs(keys) do known[k[1]] = true end
-- the keys a short comment may carry; any other key present makes the comment a full one
local short_keys = { PID = true, TID = true, Cmd = true, Container = true, ContainerName = true,
	Image = true, Pod = true, PodNamespace = true, PodContainer = true, Source = true,
	PeerPID = true, PeerTID = true, PeerCmd = true, PeerContainer = true }

local comment_f = Field.new("frame.comment")
local ip_src, ip_dst = Field.new("ip.src"), Field.new("ip.dst")
local ip6_src, ip6_dst = Field.new("ipv6.src"), Field.new("ipv6.dst")
local tcp_sp, tcp_dp = Field.new("tcp.srcport"), Field.new("tcp.dstport")
local udp_sp, udp_dp = Field.new("udp.srcport"), Field.new("udp.dstport")

local flows = {}	-- flow key -> pid -> { key -> value, _frame = number }
local frames = {}	-- frame number -> resolved record (for later passes and the GUI)

-- procap escapes '\' as "\\" and control bytes as "\xHH"
local function unescape(s)
	return (s:gsub("\\(x?)(%x?%x?)", function(x, hex)
		if x == "x" and #hex == 2 then return string.char(tonumber(hex, 16)) end
		return "\\" .. x .. hex
	end):gsub("\\\\", "\\"))
end

-- A procap comment as a table, or nil: only "Key: value" lines, "Source" among them (keys of a
-- newer procap that this plugin does not know are skipped).
local function parse(comment)
	local rec = {}
	for line in (comment .. "\n"):gmatch("(.-)\n") do
		local k, v = line:match("^(%a+): (.*)$")
		if not k or rec[k] then return nil end
		if known[k] then rec[k] = unescape(v) end
	end
	if not rec.Source then return nil end
	return rec
end

-- Both directions of a flow give the same key (procap's flow table does the same).
local function flow_key()
	local s, d = ip_src() or ip6_src(), ip_dst() or ip6_dst()
	if not s or not d then return nil end
	local sp, dp = tcp_sp() or udp_sp(), tcp_dp() or udp_dp()
	local a = tostring(s) .. "/" .. (sp and tostring(sp.value) or "")
	local b = tostring(d) .. "/" .. (dp and tostring(dp.value) or "")
	local proto = tcp_sp() and "t" or (udp_sp() and "u" or "o")
	if a > b then a, b = b, a end
	return proto .. " " .. a .. " " .. b
end

local function is_full(rec)
	for k in pairs(rec) do
		if not short_keys[k] then return true end
	end
	return false
end

-- The packet's record: its own keys, the missing ones from the flow's last record of that PID.
local function resolve(pinfo)
	local comments = { comment_f() }
	local rec
	for _, c in ipairs(comments) do
		rec = parse(c.value)
		if rec then break end
	end
	if not rec then return nil end
	rec._record = is_full(rec) and "full" or "short"
	local key = rec.PID and flow_key()
	if not key then return rec end
	flows[key] = flows[key] or {}
	local last = flows[key][rec.PID]
	if last and rec._record == "short" then
		for k, v in pairs(last) do
			if rec[k] == nil and known[k] then
				rec[k] = v
				rec._from = last._frame
			end
		end
	end
	if rec._record == "full" then
		local keep = { _frame = pinfo.number }
		for k, v in pairs(rec) do
			if known[k] then keep[k] = v end
		end
		flows[key][rec.PID] = keep
	end
	return rec
end

function procap.dissector(tvb, pinfo, tree)
	local rec = frames[pinfo.number]
	if not rec and not pinfo.visited then
		rec = resolve(pinfo)
		frames[pinfo.number] = rec or false
	end
	if not rec then return end
	local label = rec.PID and string.format("procap: %s (PID %s)", rec.Cmd or "?", rec.PID) or
		      "procap: no owner"
	local t = tree:add(procap, label)
	for _, k in ipairs(keys) do
		local v = rec[k[1]]
		if v ~= nil then
			local item = t:add(k[2], k[3] and tonumber(v) or v)
			if rec._from and not short_keys[k[1]] then item:set_generated() end
		end
	end
	t:add(f.record, rec._record):set_generated()
	if rec._from then t:add(f.from_frame, rec._from):set_generated() end
end

function procap.init()
	flows = {}
	frames = {}
end

register_postdissector(procap)
