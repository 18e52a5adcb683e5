# The payload policy of src/snapshot/policy.ts in POSIX awk, for machines
# without jq. Runs under mawk, gawk --posix and busybox awk with LC_ALL=C (lengths are bytes).
# Input: the GET /messages body. Output: the payload on stdout (no newline) and the meta line
# [status,total,kept,dropped,truncated,bytes] in the file meta_file; body_bytes, when not empty,
# is the body's size as the HTTP client counted it. Records are split at double quotes, so the
# body is streamed: only the newest `count` messages are ever held, and strings are scanned
# with split() instead of byte by byte. Byte 002 stands for the messages
# array inside the top-level object until the end (raw control bytes are not valid JSON text).
# Needs, from the script that inlines it, a BEGIN block run before this one that sets the
# contract's values (src/contract): ST_OK, ST_EMPTY, ST_NO_MESSAGES, ST_NOT_ARRAY, ST_TOO_LARGE,
# ST_NOT_JSON, ST_WINDOW_FALLBACK (the meta line's status numbers) and MARKER_HEAD, MARKER_TAIL
# (the truncation marker around the byte count, as JSON text); and -v count, limit, meta_file,
# body_bytes (window mode: -v head_file, window_file, window_bytes).
BEGIN {
	RS = "\""
	for (i = 1; i < 256; i++) {
		c = sprintf("%c", i)
		ORD[c] = i
		CHR[i] = c
	}
	HEXDIGITS = "0123456789abcdef"
	ESC["\""] = "\\\""
	ESC["\\"] = "\\\\"
	ESC["/"] = "/"
	ESC["b"] = "\\b"
	ESC["f"] = "\\f"
	ESC["n"] = "\\n"
	ESC["r"] = "\\r"
	ESC["t"] = "\\t"
	SHORT[8] = "\\b"
	SHORT[9] = "\\t"
	SHORT[10] = "\\n"
	SHORT[12] = "\\f"
	SHORT[13] = "\\r"
	CTRL = "[\001-\037]"
	# A raw NUL is a control character too, but "\000" cannot go in a regular expression. mawk
	# and gawk keep it in strings (one byte: index() finds it); BusyBox awk ends its strings
	# there, so there NUL is "" and the record silently loses the rest: body_bytes catches that.
	NUL = sprintf("%c", 0)
	if (length(NUL) != 1) NUL = ""
	seen_bytes = 0
	FFFD = "\357\277\275"
	PLACEHOLDER = "\002"
	depth = 0
	expect = "value"
	next_is = "text"
	pieces = 0
	raws = 0
	raw_bytes_held = 0
	run = ""
	total = 0
	# What gsub() needs in its replacement to print a backslash differs between awks (mawk and
	# gawk --posix halve backslashes, busybox and plain gawk keep them): find out here.
	REPL_BACKSLASHES = replacement_for("\\\\", "\\\\\\\\", "\\\\")
	REPL_DEL = replacement_for("\\u007f", "\\\\u007f", "\\u007f")
	messages_value = ""
	if (window_file != "") read_window()
}

{ seen_bytes += length($0) }

{ feed($0) }

# feed: one record. Records alternate between the text around strings and string contents. A
# string record ending in an odd run of backslashes ended at an escaped quote: the string goes
# on. Such pieces hold whole escapes, so they are gathered (short runs by plain concatenation,
# which is cheap below 256 bytes) and made canonical about 4 KB at a time.
function feed(rec) {
	if (bad) return
	if (next_is == "text") {
		structural(rec)
		next_is = "string"
		return
	}
	if (odd_trailing_backslashes(rec)) {
		run = run rec "\""
		if (length(run) < 256) return
		RAW[++raws] = run
		raw_bytes_held += length(run)
		run = ""
		if (raw_bytes_held >= 4096) flush_raw()
		return
	}
	if (run != "" || raws || pieces) {
		RAW[++raws] = run rec
		run = ""
		flush_raw()
		got_string(join(PIECE, 1, pieces))
		pieces = 0
	} else got_string(canon(rec))
	next_is = "text"
}

function flush_raw() {
	PIECE[++pieces] = canon(join(RAW, 1, raws))
	raws = 0
	raw_bytes_held = 0
}

function fail() {
	bad = 1
	exit
}

function odd_trailing_backslashes(s) {
	if (substr(s, length(s), 1) != "\\") return 0
	match(s, /\\+$/)
	return RLENGTH % 2
}

# structural: the text between strings, character by character (it is short).
function structural(s,    n, i, j, c) {
	n = length(s)
	for (i = 1; i <= n; i++) {
		c = substr(s, i, 1)
		if (c == " " || c == "\t" || c == "\n" || c == "\r") continue
		if (c == "{" || c == "[") {
			open_container(c)
			if (head_done) return
		}
		else if (c == "}" || c == "]") close_container(c)
		else if (c == ":") {
			if (expect != "colon") fail()
			expect = "value"
		} else if (c == ",") {
			if (expect != "next") fail()
			expect = (KIND[depth] == "{") ? "key" : "value"
		} else {
			j = i
			while (j <= n && substr(s, j, 1) ~ /[-+.0-9a-zA-Z]/) j++
			if (j == i) fail()
			literal(substr(s, i, j - i))
			i = j - 1
		}
	}
}

function literal(tok) {
	if (expect != "value" && expect != "value_or_close") fail()
	if (tok != "true" && tok != "false" && tok != "null" && tok !~ /^-?(0|[1-9][0-9]*)([.][0-9]+)?([eE][-+]?[0-9]+)?$/) fail()
	emit(tok, 0)
}

function open_container(c) {
	if (expect != "value" && expect != "value_or_close") fail()
	depth++
	KIND[depth] = c
	MSGS[depth] = (depth == 2 && KIND[1] == "{" && KEY[1] == "messages" && c == "[")
	if (MSGS[depth]) total = 0
	if (MSGS[depth] && in_head) head_done = 1
	if (c == "{") {
		COUNT[depth] = 0
		expect = "key_or_close"
	} else {
		ITEMS[depth] = ""
		ITEMN[depth] = 0
		expect = "value_or_close"
	}
}

function close_container(c,    v, j, k, sep, d, is_msg) {
	if (depth == 0) fail()
	if (c == "}" && (KIND[depth] != "{" || (expect != "next" && expect != "key_or_close"))) fail()
	if (c == "]" && (KIND[depth] != "[" || (expect != "next" && expect != "value_or_close"))) fail()
	d = depth
	if (c == "]") v = MSGS[d] ? PLACEHOLDER : "[" ITEMS[d] "]"
	else {
		is_msg = (d == 3 && MSGS[2])
		split_found = 0
		v = "{"
		sep = ""
		for (j = 1; j <= COUNT[d]; j++) {
			k = NAME[d, j]
			if (is_msg && k == "id") msg_id = VAL[d, j]
			v = v sep "\"" k "\":"
			if (is_msg && k == "content" && ISSTR[d, j]) {
				split_found = 1
				split_pre = v "\""
				split_body = substr(VAL[d, j], 2, length(VAL[d, j]) - 2)
				v = ""
				sep = ""
				continue
			}
			v = v VAL[d, j]
			sep = ","
			delete INDEX[d, k]
		}
		delete INDEX[d, "content"]
		v = v "}"
		if (split_found) {
			split_post = "\"" (v == "}" ? "" : ",") v
			v = split_pre split_body split_post
		}
		if (d == 1) {
			messages_value = ""
			for (j = 1; j <= COUNT[1]; j++) if (NAME[1, j] == "messages") messages_value = VAL[1, j]
			top_is_object = 1
		}
	}
	depth--
	emit(v, 0)
	split_found = 0
}

# got_string: a complete string, already canonical, as a key or as a value.
function got_string(s) {
	if (expect == "key" || expect == "key_or_close") {
		KEY[depth] = s
		expect = "colon"
	} else if (expect == "value" || expect == "value_or_close") emit("\"" s "\"", 1)
	else fail()
}

# emit: a complete value at the current depth goes to its container (or is the document).
function emit(v, is_string,    j, k) {
	if (depth == 0) {
		top = v
		expect = "end"
		return
	}
	expect = "next"
	if (KIND[depth] == "[") {
		if (MSGS[depth]) add_message(v)
		else {
			ITEMS[depth] = ITEMS[depth] (ITEMN[depth] ? "," : "") v
			ITEMN[depth]++
		}
		return
	}
	k = KEY[depth]
	if ((depth, k) in INDEX) j = INDEX[depth, k]
	else {
		j = ++COUNT[depth]
		INDEX[depth, k] = j
		NAME[depth, j] = k
	}
	VAL[depth, j] = v
	ISSTR[depth, j] = is_string
}

# add_message: keeps the newest `count` messages in a ring; a message with a string content is
# kept in three parts so the content can be cut at the end.
function add_message(v,    slot) {
	total++
	# the ids say how many messages came before the window (AgentAPI: id is the position)
	if (msg_id !~ /^(0|[1-9][0-9]*)$/) ids_bad = 1
	else if (total == 1) first_id = msg_id + 0
	else if (msg_id + 0 != last_id + 1) ids_bad = 1
	last_id = msg_id + 0
	msg_id = ""
	slot = total % count
	if (split_found) {
		PRE[slot] = split_pre
		BODY[slot] = split_body
		POST[slot] = split_post
		HAS[slot] = 1
	} else {
		PRE[slot] = v
		BODY[slot] = ""
		POST[slot] = ""
		HAS[slot] = 0
	}
}

# canon: a string token (between its quotes, escapes as sent) in canonical escaped form. Long
# strings go in chunks of about 4 KB, cut where no escape can be cut in two (before a character
# that is neither a backslash, u nor a hex digit, and not after a backslash): BusyBox gsub() is
# quadratic in the number of replacements, so it only ever sees short strings.
function canon(raw,    n, start, cut, k, parts) {
	n = length(raw)
	if (n <= 8192) return canon_chunk(raw)
	k = 0
	for (start = 1; start <= n; start = cut) {
		cut = start + 4096
		while (cut <= n && (substr(raw, cut, 1) ~ /[0-9a-fA-Fu\\]/ || substr(raw, cut - 1, 1) == "\\")) cut++
		parts[++k] = canon_chunk(substr(raw, start, cut - start))
	}
	return join(parts, 1, k)
}

# canon_chunk: escaped backslashes are parked as byte 001 so that every backslash left starts an
# escape; short escapes are already canonical; only \u escapes that are not (uppercase hex,
# printable or non-ASCII characters, NUL, surrogates) need a loop.
function canon_chunk(raw,    s) {
	if (raw ~ CTRL || (NUL != "" && index(raw, NUL) > 0)) fail()
	s = raw
	if (index(s, "\\") > 0) {
		gsub(/\\\\/, "\001", s)
		if (s ~ /\\[^"\/bfnrtu]/) fail()
		if (index(s, "\\/") > 0) gsub(/\\\//, "/", s)
		if (index(s, "\\u") > 0) s = canon_u(s)
		if (index(s, "\001") > 0) gsub(/\001/, REPL_BACKSLASHES, s)
	}
	if (index(s, "\177") > 0) gsub(/\177/, REPL_DEL, s)
	return s
}

# canon_u: rewrites the \u escapes of s that are not canonical; escaped backslashes are byte 001.
function canon_u(s,    t, n, parts, i, p, cp, low, rest, out) {
	t = s
	gsub(/\\u00(0[1-7bef]|1[0-9a-f]|7f)/, "", t)
	if (index(t, "\\u") == 0) return s
	n = split(s, parts, /\\u/)
	out[1] = parts[1]
	for (i = 2; i <= n; i++) {
		p = parts[i]
		cp = hex4(substr(p, 1, 4))
		rest = substr(p, 5)
		if (cp >= 55296 && cp <= 56319) {
			low = (rest == "" && i < n) ? hex4(substr(parts[i + 1], 1, 4)) : -1
			if (low >= 56320 && low <= 57343) {
				cp = 65536 + (cp - 55296) * 1024 + (low - 56320)
				out[i] = ""
				i++
				rest = substr(parts[i], 5)
			} else cp = 65533
		} else if (cp >= 56320 && cp <= 57343) cp = 65533
		out[i] = encode(cp) rest
	}
	return join(out, 1, n)
}

# join: A[lo] ... A[hi] concatenated pairwise, so the copying stays n log n, not n squared.
function join(A, lo, hi,    mid) {
	if (lo > hi) return ""
	if (lo == hi) return A[lo]
	mid = int((lo + hi) / 2)
	return join(A, lo, mid) join(A, mid + 1, hi)
}

# replacement_for: whichever candidate gsub() turns into target, checked on this very awk.
function replacement_for(target, first, second,    t) {
	t = "x"
	gsub(/x/, first, t)
	if (t == target) return first
	return second
}

function hex4(h,    i, d, v) {
	if (length(h) != 4) fail()
	v = 0
	for (i = 1; i <= 4; i++) {
		d = index(HEXDIGITS, tolower(substr(h, i, 1))) - 1
		if (d < 0) fail()
		v = v * 16 + d
	}
	return v
}

# encode: one code point in canonical form (NUL becomes U+FFFD).
function encode(cp) {
	if (cp == 0) return FFFD
	if (cp < 32) return (cp in SHORT) ? SHORT[cp] : "\\u00" substr(HEXDIGITS, int(cp / 16) + 1, 1) substr(HEXDIGITS, cp % 16 + 1, 1)
	if (cp == 34) return "\\\""
	if (cp == 92) return "\\\\"
	if (cp == 127) return "\\u007f"
	if (cp < 128) return CHR[cp]
	if (cp < 2048) return CHR[192 + int(cp / 64)] CHR[128 + cp % 64]
	if (cp < 65536) return CHR[224 + int(cp / 4096)] CHR[128 + int(cp / 64) % 64] CHR[128 + cp % 64]
	return CHR[240 + int(cp / 262144)] CHR[128 + int(cp / 4096) % 64] CHR[128 + int(cp / 64) % 64] CHR[128 + cp % 64]
}

# read_window: the windowed path (docs/shutdown-script.md). The start of the body is read from
# head_file up to the opening bracket of messages, its last bytes from window_file; the messages
# that start in the window are found scanning backwards from the end, where the state is known
# (outside any string), and parsed from there. Exits with need_whole set when the window cannot
# stand for the body: the shell then runs the engine on the whole body.
function read_window(    rec, n, i, wbytes) {
	in_head = 1
	head_bytes = 0
	while (!head_done && (getline rec < head_file) > 0) {
		head_bytes += length(rec) + 1
		feed(rec)
		if (head_bytes > window_bytes) break
	}
	close(head_file)
	in_head = 0
	if (!head_done) give_up()
	n = 0
	wbytes = 0
	while ((getline rec < window_file) > 0) {
		WR[++n] = rec
		wbytes += length(rec)
	}
	close(window_file)
	if (n == 0 || wbytes + n - 1 != window_bytes) fail()
	if (!find_boundary(n)) give_up()
	next_is = "text"
	feed(substr(WR[B_REC], B_OFF))
	for (i = B_REC + 1; i <= n; i++) feed(WR[i])
	windowed = 1
}

function give_up() {
	need_whole = 1
	exit
}

# find_boundary: sets B_REC and B_OFF to where the earliest of the last `count` messages in the
# window starts. Backwards, a quote not preceded by an odd run of backslashes always toggles
# between inside and outside a string. Only the AgentAPI shape is taken: the top-level object
# ends with the messages array (no member after it). Record 1 starts mid-way: its backslashes
# may go on before the window, so a quote after a record 1 of backslashes only is not used.
function find_boundary(n,    i, j, rec, c, d, k, inside) {
	d = 0
	k = 0
	inside = 0
	for (i = n; i >= 2; i--) {
		rec = WR[i]
		if (!inside) {
			for (j = length(rec); j >= 1; j--) {
				c = substr(rec, j, 1)
				if (c == " " || c == "\t" || c == "\n" || c == "\r") continue
				if (c == "}" || c == "]") {
					d++
					if ((d == 1 && c != "}") || (d == 2 && c != "]")) return 0
				} else if (c == "{" || c == "[") {
					if (d == 3 && c == "{") {
						k++
						B_REC = i
						B_OFF = j
						if (k >= count) return 1
					} else if (d == 2) return k > 0
					d--
				} else if (d < 2) return 0
			}
		}
		if (i == 2 && WR[1] ~ /^\\*$/) break
		if (!odd_trailing_backslashes(WR[i - 1])) {
			inside = !inside
			if (d < 2) return 0
		}
	}
	return k > 0
}

function message_length(slot) {
	return length(PRE[slot]) + length(BODY[slot]) + length(POST[slot])
}

# tail_of: the longest suffix of escaped text e that is at most avail bytes and starts on a
# character boundary: never inside an escape, never on a UTF-8 continuation byte.
function tail_of(e, avail,    n, p, q, k) {
	n = length(e)
	if (avail <= 0) return ""
	p = n - avail + 1
	if (backslash_run(e, p - 1) % 2 == 1) p += (substr(e, p, 1) == "u") ? 5 : 1
	else {
		for (k = 2; k <= 5; k++) {
			q = p - k
			if (q >= 1 && substr(e, q, 2) == "\\u" && backslash_run(e, q - 1) % 2 == 0) {
				p = q + 6
				break
			}
		}
	}
	while (p <= n && ORD[substr(e, p, 1)] >= 128 && ORD[substr(e, p, 1)] < 192) p++
	return substr(e, p)
}

# backslash_run: how many backslashes end at position q.
function backslash_run(e, q,    r) {
	r = 0
	while (q >= 1 && substr(e, q, 1) == "\\") {
		r++
		q--
	}
	return r
}

# raw_bytes: the decoded length of escaped text (each canonical escape stands for one byte).
function raw_bytes(e,    copy) {
	copy = e
	gsub(/\\u[0-9a-f][0-9a-f][0-9a-f][0-9a-f]|\\[^u]/, "x", copy)
	return length(copy)
}

function meta(status, kept, dropped, truncated, bytes) {
	printf "[%d,%d,%d,%d,%d,%d]", status, total, kept, dropped, truncated, bytes > meta_file
}

# whole_body: every byte was seen (records plus the quotes between them). Fails where BusyBox awk
# lost bytes after a NUL, and for a body ending in a quote (never JSON that has messages).
function whole_body() {
	return body_bytes == "" || seen_bytes + NR - 1 == body_bytes + 0
}

END {
	if (need_whole && !bad) {
		total = 0
		meta(ST_WINDOW_FALLBACK, 0, 0, 0, 0)
		exit
	}
	if (bad || pieces || raws || run != "" || depth != 0 || expect != "end" || !whole_body()) {
		total = 0
		meta(ST_NOT_JSON, 0, 0, 0, 0)
		exit
	}
	if (!top_is_object || messages_value == "" || messages_value == "null") {
		total = 0
		meta(ST_NO_MESSAGES, 0, 0, 0, 0)
		exit
	}
	if (messages_value != PLACEHOLDER) {
		total = 0
		meta(ST_NOT_ARRAY, 0, 0, 0, 0)
		exit
	}
	if (total == 0) {
		meta(ST_EMPTY, 0, 0, 0, 0)
		exit
	}
	# held: the messages read (all of them, or those from the window on)
	held = total
	if (windowed) {
		if (ids_bad) {
			total = 0
			meta(ST_WINDOW_FALLBACK, 0, 0, 0, 0)
			exit
		}
		total = last_id + 1
	}
	at = index(top, PLACEHOLDER)
	head = substr(top, 1, at - 1)
	tail = substr(top, at + 1)
	frame = length(head) + length(tail) + 2
	kept = (held < count) ? held : count
	first = held - kept + 1
	size = frame + kept - 1
	for (i = first; i <= held; i++) size += message_length(i % count)
	# messages before the window that the whole body would have started from, all of them
	# dropped: the window holds fewer than `count` messages only when they alone are too big
	dropped = ((total < count) ? total : count) - kept
	if (dropped > 0 && size <= limit) {
		total = 0
		meta(ST_WINDOW_FALLBACK, 0, 0, 0, 0)
		exit
	}
	while (size > limit && held - first >= 1) {
		size -= message_length(first % count) + 1
		first++
		dropped++
	}
	if (size <= limit) {
		out = head "["
		for (i = first; i <= held; i++) out = out (i > first ? "," : "") PRE[i % count] BODY[i % count] POST[i % count]
		out = out "]" tail
		printf "%s", out
		meta(ST_OK, held - first + 1, dropped, 0, length(out))
		exit
	}
	slot = held % count
	room = limit - frame - length(PRE[slot]) - length(POST[slot])
	avail = room - length(MARKER_HEAD MARKER_TAIL) - length(room "")
	if (!HAS[slot] || room < 0 || avail < 0) {
		meta(ST_TOO_LARGE, 0, dropped, 0, 0)
		exit
	}
	cut = tail_of(BODY[slot], avail)
	out = head "[" PRE[slot] MARKER_HEAD raw_bytes(cut) MARKER_TAIL cut POST[slot] "]" tail
	printf "%s", out
	meta(ST_OK, 1, dropped, 1, length(out))
}
