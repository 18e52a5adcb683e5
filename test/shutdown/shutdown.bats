#!/usr/bin/env bats
# Unit tests for the shutdown script, sourced from the rendered file (AGENTAPI_KIT_SOURCE_ONLY=1
# keeps main from running). curl and wget are the fakes in fakes/, which record their argv; the
# payload's byte-for-byte agreement with src/snapshot/policy.ts across engines and shells is in
# payload-property.test.ts, end-to-end runs under every shell in the conformance harness (src/conformance/).

load '../../node_modules/bats-support/load'
load '../../node_modules/bats-assert/load'
bats_require_minimum_version 1.5.0

TASK=0b9c7f3e-5a4d-4e21-9c1f-2d3e4f5a6b7c
TOKEN=5f0e2a1c-8d7b-4c6a-9e3f-1a2b3c4d5e6f

setup() {
	SCRIPT="$BATS_TEST_DIRNAME/../../modules/agentapi/scripts/agentapi-shutdown.sh"
	FIXTURES="$BATS_TEST_DIRNAME/fixtures"
	AGENTAPI_KIT_SOURCE_ONLY=1
	# shellcheck source=/dev/null
	. "$SCRIPT"
	HOME=$BATS_TEST_TMPDIR/home
	mkdir -p "$HOME" "$BATS_TEST_TMPDIR/tmp" "$BATS_TEST_TMPDIR/log" "$BATS_TEST_TMPDIR/bin"
	export TMPDIR=$BATS_TEST_TMPDIR/tmp
	export FAKE_LOG_DIR=$BATS_TEST_TMPDIR/log
	export FAKE_MESSAGES_FILE=$FIXTURES/pretty.json
	cp "$BATS_TEST_DIRNAME/fakes/curl" "$BATS_TEST_DIRNAME/fakes/wget" "$BATS_TEST_TMPDIR/bin/"
	chmod +x "$BATS_TEST_TMPDIR/bin/curl" "$BATS_TEST_TMPDIR/bin/wget"
	FAKE_PATH=$BATS_TEST_TMPDIR/bin:$PATH
	export ARG_TASK_ID=$TASK ARG_AGENTAPI_PORT=3284 ARG_MODULE_DIR_NAME=.agentapi-module
	export CODER_AGENT_URL=http://coder.test/ CODER_AGENT_TOKEN=$TOKEN
	unset ARG_PID_FILE_PATH ARG_TASK_LOG_SNAPSHOT ARG_ENABLE_STATE_PERSISTENCE ARG_AGENTAPI_VERSION
	unset AGENTAPI_KIT_JSON_ENGINE AGENTAPI_KIT_HTTP_CLIENT ARG_ALLOW_TOKEN_IN_ARGV
}

teardown() {
	for pid in ${BACKGROUND_PID:-} ${AGENTAPI_PID:-}; do
		kill -s KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
}

# run_main: main in a subshell with the fakes first on PATH.
run_main() {
	PATH=$FAKE_PATH run --separate-stderr main
}

posted_count() {
	find "$FAKE_LOG_DIR" -name 'posted.*' | wc -l | tr -d ' '
}

@test "is_uuid: the canonical 8-4-4-4-12 form in either case, nothing else" {
	is_uuid "$TASK"
	is_uuid 0B9C7F3E-5A4D-4E21-9C1F-2D3E4F5A6B7C
	for bad in '' not-a-uuid 0b9c7f3e5a4d4e219c1f2d3e4f5a6b7c "{$TASK}" "urn:uuid:$TASK" "${TASK}0" "${TASK#0}" \
		0b9c7f3e-5a4d-4e21-9c1f-2d3e4f5a6b7g "$TASK/../x" "x'; touch pwned; echo '\$(id)" '*'; do
		run is_uuid "$bad"
		assert_failure
	done
}

@test "snapshot_url: one slash between CODER_AGENT_URL and the route, with or without a trailing slash" {
	CODER_AGENT_URL=https://coder.example.com/
	snapshot_url "$TASK"
	assert_equal "$_snapshot_url" "https://coder.example.com/api/v2/workspaceagents/me/tasks/$TASK/log-snapshot?format=agentapi"
	CODER_AGENT_URL=https://coder.example.com
	snapshot_url "$TASK"
	assert_equal "$_snapshot_url" "https://coder.example.com/api/v2/workspaceagents/me/tasks/$TASK/log-snapshot?format=agentapi"
}

@test "is_token_safe: UUIDs and id-secret tokens pass; line breaks, spaces and quotes do not" {
	is_token_safe "$TOKEN"
	is_token_safe 'AbC123-xYz789secret'
	for bad in '' "$TOKEN
X-Injected: 1" "$TOKEN$(printf '\r')" 'a b' 'a"b' 'a\b' "a'b"; do
		run is_token_safe "$bad"
		assert_failure
	done
}

@test "seconds_or: whole numbers without leading zeros, else the default" {
	seconds_or 08 2
	assert_equal "$_seconds" 8
	seconds_or 000 2
	assert_equal "$_seconds" 0
	for bad in '' -1 1.5 abc ' 3'; do
		seconds_or "$bad" 7
		assert_equal "$_seconds" 7
	done
}

@test "read_agentapi_pid: the path is the one resolve_pid_file sets, or ARG_PID_FILE_PATH" {
	sleep 30 &
	BACKGROUND_PID=$!
	mkdir -p "$HOME/.agentapi-module"
	resolve_pid_file
	assert_equal "$pid_file" "$HOME/.agentapi-module/agentapi.pid"
	echo "$BACKGROUND_PID" >"$pid_file"
	read_agentapi_pid
	assert_equal "$_agentapi_pid" "$BACKGROUND_PID"
	ARG_PID_FILE_PATH="$BATS_TEST_TMPDIR/dir with space/it's.pid"
	mkdir -p "$BATS_TEST_TMPDIR/dir with space"
	printf '%s' "$BACKGROUND_PID" >"$ARG_PID_FILE_PATH"
	resolve_pid_file
	assert_equal "$pid_file" "$ARG_PID_FILE_PATH"
	read_agentapi_pid
	assert_equal "$_agentapi_pid" "$BACKGROUND_PID"
}

@test "read_agentapi_pid: missing, garbage, 0, 1, the script itself and stale PIDs give no PID" {
	export ARG_PID_FILE_PATH=$BATS_TEST_TMPDIR/agentapi.pid
	run read_agentapi_pid
	assert_output --partial 'No AgentAPI PID file'
	for garbage in '' abc '12 34' -5 0 007 1; do
		printf '%s\n' "$garbage" >"$ARG_PID_FILE_PATH"
		read_agentapi_pid 2>/dev/null
		assert_equal "$_agentapi_pid" ''
	done
	sh -c 'exit 0' &
	stale=$!
	wait "$stale"
	echo "$stale" >"$ARG_PID_FILE_PATH"
	run read_agentapi_pid
	assert_output --partial "pid $stale"
	assert_output --partial 'is not running'
	echo "$$" >"$ARG_PID_FILE_PATH"
	read_agentapi_pid
	assert_equal "$_agentapi_pid" ''
}

@test "save_agentapi_state: SIGUSR1 only with persistence on and AgentAPI >= v0.12.0 (or an unparseable version)" {
	kill() { echo "kill $*" >>"$BATS_TEST_TMPDIR/calls"; }
	pause() { echo "pause $*" >>"$BATS_TEST_TMPDIR/calls"; }
	_agentapi_pid=4242
	ARG_STATE_SAVE_WAIT=3
	for version in v0.12.0 0.12.1 v1.0.0 latest ''; do
		: >"$BATS_TEST_TMPDIR/calls"
		ARG_ENABLE_STATE_PERSISTENCE=true ARG_AGENTAPI_VERSION=$version save_agentapi_state >/dev/null
		assert_equal "$(cat "$BATS_TEST_TMPDIR/calls")" "kill -s USR1 4242
pause 300"
	done
	for version in v0.11.9 v0.10.0 0.3.3; do
		: >"$BATS_TEST_TMPDIR/calls"
		ARG_ENABLE_STATE_PERSISTENCE=true ARG_AGENTAPI_VERSION=$version run save_agentapi_state
		assert_output --partial 'not sending SIGUSR1'
		assert_equal "$(cat "$BATS_TEST_TMPDIR/calls")" ''
	done
	: >"$BATS_TEST_TMPDIR/calls"
	ARG_ENABLE_STATE_PERSISTENCE=false ARG_AGENTAPI_VERSION=v0.12.0 save_agentapi_state
	assert_equal "$(cat "$BATS_TEST_TMPDIR/calls")" ''
}

@test "save_agentapi_state: the version the start script recorded wins over agentapi_version" {
	kill() { echo "kill $*" >>"$BATS_TEST_TMPDIR/calls"; }
	pause() { :; }
	_agentapi_pid=4242
	mkdir -p "$HOME/.agentapi-module"
	resolve_version_file
	assert_equal "$version_file" "$HOME/.agentapi-module/agentapi.version"
	echo 0.11.0 >"$version_file"
	: >"$BATS_TEST_TMPDIR/calls"
	ARG_ENABLE_STATE_PERSISTENCE=true ARG_AGENTAPI_VERSION=v0.12.1 run save_agentapi_state
	assert_output --partial 'AgentAPI 0.11.0 predates state persistence (v0.12.0), not sending SIGUSR1'
	assert_equal "$(cat "$BATS_TEST_TMPDIR/calls")" ''
	echo v0.13.0 >"$version_file"
	ARG_ENABLE_STATE_PERSISTENCE=true ARG_AGENTAPI_VERSION=v0.10.0 save_agentapi_state >/dev/null
	assert_equal "$(cat "$BATS_TEST_TMPDIR/calls")" 'kill -s USR1 4242'
}

@test "stop_agentapi: SIGTERM, and SIGKILL with a warning when the process ignores it" {
	sh -c 'trap "" TERM; exec sleep 30' &
	BACKGROUND_PID=$!
	_agentapi_pid=$BACKGROUND_PID
	ARG_TERMINATE_TIMEOUT=1 run --separate-stderr stop_agentapi
	assert_output "Sending SIGTERM to AgentAPI (pid $BACKGROUND_PID)"
	assert_equal "$stderr" "Warning: AgentAPI (pid $BACKGROUND_PID) still running 1s after SIGTERM, sending SIGKILL"
	wait "$BACKGROUND_PID" || status=$?
	assert_equal "$status" 137
}

@test "stop_agentapi: an AgentAPI that exits on SIGTERM but stays a zombie (its parent does not reap) needs no wait, no SIGKILL" {
	# the parent execs sleep, which never waits for its child: the child becomes a zombie
	sh -c 'sleep 30 & echo $! >"$1"; exec sleep 60' sh "$BATS_TEST_TMPDIR/child.pid" &
	BACKGROUND_PID=$!
	while [ ! -s "$BATS_TEST_TMPDIR/child.pid" ]; do sleep 0.05; done
	AGENTAPI_PID=$(cat "$BATS_TEST_TMPDIR/child.pid")
	_agentapi_pid=$AGENTAPI_PID
	ARG_TERMINATE_TIMEOUT=3 run --separate-stderr stop_agentapi
	assert_output "Sending SIGTERM to AgentAPI (pid $AGENTAPI_PID)
AgentAPI (pid $AGENTAPI_PID) exited"
	assert_equal "$stderr" ''
	# it was a zombie, not gone: kill -0 alone would have waited the 3 s and sent SIGKILL
	kill -s 0 "$AGENTAPI_PID"
	process_is_zombie "$AGENTAPI_PID"
	run process_alive "$AGENTAPI_PID"
	assert_failure
	run process_alive "$BACKGROUND_PID"
	assert_success
}

@test "build_payload: jq and awk agree with the reference payload on a pretty-printed fixture (needs jq)" {
	command -v jq >/dev/null || skip 'needs jq'
	for engine in jq awk; do
		_json_engine=$engine
		run --separate-stderr build_payload <"$FIXTURES/pretty.json"
		assert_success
		assert_output "$(cat "$FIXTURES/pretty.expected.json")"
		assert_equal "$stderr" '[0,12,10,0,0,1033]'
	done
}

@test "build_payload: not JSON, no messages, messages null or not a list, and an empty conversation" {
	for engine in jq awk; do
		_json_engine=$engine
		for pair in '5|<html>502 Bad Gateway</html>' '5|{"messages":[' '5|' '2|{"$schema":"x"}' \
			'2|{"messages":null}' '2|[1,2]' '3|{"messages":{}}' '1|{"messages":[]}'; do
			printf '%s' "${pair#*|}" >"$BATS_TEST_TMPDIR/body"
			build_payload "$BATS_TEST_TMPDIR/meta" <"$BATS_TEST_TMPDIR/body" >"$BATS_TEST_TMPDIR/payload" || true
			read_meta "$BATS_TEST_TMPDIR/meta" || [ "$engine" = jq ] # jq reports bad JSON by its exit code
			if [ -s "$BATS_TEST_TMPDIR/meta" ] && read_meta "$BATS_TEST_TMPDIR/meta"; then
				assert_equal "$engine ${pair%%|*}" "$engine $_meta_status"
			fi
			assert_equal "$(cat "$BATS_TEST_TMPDIR/payload")" ''
		done
	done
}

@test "read_meta: six whole numbers in brackets, anything else fails" {
	printf '[0,25,10,0,1,1177]' >"$BATS_TEST_TMPDIR/meta"
	read_meta "$BATS_TEST_TMPDIR/meta"
	assert_equal "$_meta_status $_meta_total $_meta_kept $_meta_dropped $_meta_truncated $_meta_bytes" '0 25 10 0 1 1177'
	for bad in '' '[0,25,10,0,1]' '[0,25,10,0,1,2,3]' '[0,25,x,0,1,2]' 'parse error: x' '[0,25,10,0,1,-2]'; do
		printf '%s' "$bad" >"$BATS_TEST_TMPDIR/meta"
		run read_meta "$BATS_TEST_TMPDIR/meta"
		assert_failure
	done
}

@test "response_message: the message of a coderd error body" {
	printf '{"message":"Workspace agent not authorized.","detail":"x"}\n' >"$BATS_TEST_TMPDIR/r"
	response_message "$BATS_TEST_TMPDIR/r"
	assert_equal "$_response_message" 'Workspace agent not authorized.'
	printf 'plain text' >"$BATS_TEST_TMPDIR/r"
	response_message "$BATS_TEST_TMPDIR/r"
	assert_equal "$_response_message" ''
}

@test "response_message: blanks after the colon, and coderd's indented form (test builds)" {
	printf '{"message": "Spaced out.","detail":"x"}\n' >"$BATS_TEST_TMPDIR/r"
	response_message "$BATS_TEST_TMPDIR/r"
	assert_equal "$_response_message" 'Spaced out.'
	printf '{\n\t"message":\t "Indented.",\n\t"detail": "x"\n}\n' >"$BATS_TEST_TMPDIR/r"
	response_message "$BATS_TEST_TMPDIR/r"
	assert_equal "$_response_message" 'Indented.'
	printf '{"message": 42}\n' >"$BATS_TEST_TMPDIR/r"
	response_message "$BATS_TEST_TMPDIR/r"
	assert_equal "$_response_message" ''
}

@test "engine_time_limit: timeout(1) only for bodies over 2 MB or of unknown size, with the whole seconds left" {
	deadline_start 5
	for size in 0 1000 2000000; do
		_body_bytes=$size
		engine_time_limit
		assert_equal "$size:$_engine_seconds" "$size:"
	done
	for size in 2000001 12345678 434000000 '' x; do
		_body_bytes=$size
		engine_time_limit
		[ "$_engine_seconds" -ge 4 ] && [ "$_engine_seconds" -le 5 ]
	done
	deadline_start 0
	_body_bytes=
	engine_time_limit
	assert_equal "$_engine_seconds" 1
}

# awk_variants: "name dir" lines, one per installed awk, each dir holding an `awk` that is it.
awk_variants() {
	for name in mawk gawk busybox; do
		command -v "$name" >/dev/null || continue
		mkdir -p "$BATS_TEST_TMPDIR/awk-$name"
		case $name in
		gawk) printf '#!/bin/sh\nexec %s --posix "$@"\n' "$(command -v gawk)" >"$BATS_TEST_TMPDIR/awk-$name/awk" ;;
		busybox) printf '#!/bin/sh\nexec %s awk "$@"\n' "$(command -v busybox)" >"$BATS_TEST_TMPDIR/awk-$name/awk" ;;
		*) printf '#!/bin/sh\nexec %s "$@"\n' "$(command -v "$name")" >"$BATS_TEST_TMPDIR/awk-$name/awk" ;;
		esac
		chmod +x "$BATS_TEST_TMPDIR/awk-$name/awk"
		echo "$name $BATS_TEST_TMPDIR/awk-$name"
	done
}

# awk_status NAME DIR BODY_FILE SIZE: build_payload with that awk; prints "NAME STATUS PAYLOAD".
awk_status() {
	_json_engine=awk
	_body_bytes=$4
	PATH="$2:$PATH" build_payload "$BATS_TEST_TMPDIR/meta" <"$3" >"$BATS_TEST_TMPDIR/payload"
	read_meta "$BATS_TEST_TMPDIR/meta"
	echo "$1 $_meta_status $(cat "$BATS_TEST_TMPDIR/payload")"
}

@test "build_payload with awk: a raw NUL byte is not JSON in mawk, gawk --posix and BusyBox awk" {
	variants=$(awk_variants)
	[ -n "$variants" ] || skip 'needs mawk, gawk or busybox'
	good=$BATS_TEST_TMPDIR/good.json
	printf '{"messages":[{"content":"caf\303\251 \360\237\230\200 \\"q\\" \\\\ \\u0000"}]}\n' >"$good"
	good_size=$(wc -c <"$good" | tr -d ' ')
	printf '{"messages":[{"content":"a\000b"}]}\n' >"$BATS_TEST_TMPDIR/in-string.json"
	printf '{"messages":[{"content":"x"}]}\000\n' >"$BATS_TEST_TMPDIR/after.json"
	printf '{"messages":[{"content":"x"}]}"' >"$BATS_TEST_TMPDIR/quote.json"
	echo "$variants" | while read -r name dir; do
		# the size check passes a valid body, multibyte characters and escapes included
		run awk_status "$name" "$dir" "$good" "$good_size"
		assert_output "$name 0 {\"messages\":[{\"content\":\"café 😀 \\\"q\\\" \\\\ $(printf '\357\277\275')\"}]}"
		run awk_status "$name" "$dir" "$good" "$((good_size + 1))"
		assert_output "$name 5 "
		for body in in-string after quote; do
			run awk_status "$name" "$dir" "$BATS_TEST_TMPDIR/$body.json" "$(wc -c <"$BATS_TEST_TMPDIR/$body.json" | tr -d ' ')"
			assert_output "$name 5 "
		done
		# mawk and gawk see the NUL itself; BusyBox awk needs the size (docs/shutdown-script.md)
		if [ "$name" != busybox ]; then
			run awk_status "$name" "$dir" "$BATS_TEST_TMPDIR/in-string.json" ''
			assert_output "$name 5 "
		fi
	done
}

@test "main with curl: the token travels on curl's stdin, never in its argv, and the payload is posted" {
	run_main
	assert_success
	assert_line 'Retrieved 12 messages for log snapshot'
	assert_line 'Log snapshot posted successfully'
	assert_line 'Shutdown complete'
	run cat "$FAKE_LOG_DIR/curl.argv.2"
	assert_line "http://coder.test/api/v2/workspaceagents/me/tasks/$TASK/log-snapshot?format=agentapi"
	assert_line '@-'
	run grep -r -l -e "$TOKEN" "$FAKE_LOG_DIR"
	assert_output "$FAKE_LOG_DIR/curl.stdin.2"
	assert_equal "$(cat "$FAKE_LOG_DIR/curl.stdin.2")" "Coder-Session-Token: $TOKEN"
	assert_equal "$(cat "$FAKE_LOG_DIR/posted.1")" "$(cat "$FIXTURES/pretty.expected.json")"
}

@test "main with GNU wget: the token is in a 0600 config file, never in argv" {
	AGENTAPI_KIT_HTTP_CLIENT=wget run_main
	assert_success
	assert_line 'Log snapshot posted successfully'
	run grep -r -l -e "$TOKEN" "$FAKE_LOG_DIR"
	assert_output "$FAKE_LOG_DIR/wget.config.2"
	assert_line --partial 'wget.config.2'
	run cat "$FAKE_LOG_DIR/wget.config.2"
	assert_line "header = Coder-Session-Token: $TOKEN"
	assert_line 'header = Content-Type: application/json'
	run grep -c -e '--tries=1' "$FAKE_LOG_DIR/wget.argv.2"
	assert_output 1
}

@test "main with BusyBox wget: no upload unless ARG_ALLOW_TOKEN_IN_ARGV=true" {
	export FAKE_WGET_FLAVOUR=busybox
	AGENTAPI_KIT_HTTP_CLIENT=wget run_main
	assert_success
	assert_line 'Log snapshot capture failed, continuing shutdown'
	assert_equal "$(posted_count)" 0
	[[ $stderr == *'Error: Only BusyBox wget is available'* ]]
	ARG_ALLOW_TOKEN_IN_ARGV=true AGENTAPI_KIT_HTTP_CLIENT=wget run_main
	assert_line 'Log snapshot posted successfully'
	run grep -l -e "Coder-Session-Token: $TOKEN" "$FAKE_LOG_DIR/wget.argv.2"
	assert_success
}

@test "main: invalid task ID is an Error on stderr and no request at all; shutdown still completes" {
	ARG_TASK_ID="x'; touch pwned; echo '\$(id)" run_main
	assert_success
	[[ $stderr == "Error: Task ID "*"is not a UUID"* ]]
	assert_line 'Log snapshot capture failed, continuing shutdown'
	assert_line 'Shutdown complete'
	assert_equal "$(find "$FAKE_LOG_DIR" -type f | wc -l | tr -d ' ')" 0
	[ ! -e pwned ]
}

@test "main: disabled snapshot, empty task ID, missing URL or token skip without requests" {
	ARG_TASK_LOG_SNAPSHOT=false run_main
	assert_line 'Log snapshot disabled, skipping'
	ARG_TASK_ID='' run_main
	assert_line 'No task ID, skipping log snapshot'
	refute_line 'Log snapshot capture failed, continuing shutdown'
	CODER_AGENT_URL='' run_main
	assert_equal "$stderr" 'Error: CODER_AGENT_URL is not set, cannot post a log snapshot'
	CODER_AGENT_TOKEN='' run_main
	assert_equal "$stderr" 'Error: CODER_AGENT_TOKEN is not set, cannot post a log snapshot'
	assert_line 'Log snapshot capture failed, continuing shutdown'
	assert_equal "$(find "$FAKE_LOG_DIR" -type f | wc -l | tr -d ' ')" 0
}

@test "main: still sends SIGTERM when the snapshot is skipped" {
	sleep 30 &
	BACKGROUND_PID=$!
	export ARG_PID_FILE_PATH=$BATS_TEST_TMPDIR/agentapi.pid
	echo "$BACKGROUND_PID" >"$ARG_PID_FILE_PATH"
	ARG_TASK_LOG_SNAPSHOT=false run_main
	assert_success
	assert_line 'Log snapshot disabled, skipping'
	assert_line "Sending SIGTERM to AgentAPI (pid $BACKGROUND_PID)"
	assert_line 'Shutdown complete'
	wait "$BACKGROUND_PID" || status=$?
	assert_equal "$status" 143
}

@test "main: 404 is 'not supported', 401 logs the server's message, 500 then 204 is retried" {
	FAKE_POST_STATUSES=404 run_main
	assert_line 'Log snapshot endpoint not supported by this Coder version, skipping'
	refute_line 'Log snapshot capture failed, continuing shutdown'
	rm -f "$FAKE_LOG_DIR"/*
	FAKE_POST_STATUSES=401 FAKE_POST_BODY='{"message":"Workspace agent not authorized."}' run_main
	assert_equal "$stderr" 'Error: Failed to post log snapshot (HTTP 401): Workspace agent not authorized.'
	assert_line 'Log snapshot capture failed, continuing shutdown'
	assert_equal "$(posted_count)" 1
	rm -f "$FAKE_LOG_DIR"/*
	FAKE_POST_STATUSES='500 503 204' run_main
	assert_line 'Log snapshot posted successfully'
	assert_equal "$(posted_count)" 3
}

@test "main: coderd's two 404s: Route not found is a skip naming the cause, Resource not found an Error naming the task" {
	FAKE_POST_STATUSES=404 FAKE_POST_BODY='{"message":"Route not found."}' run_main
	assert_success
	assert_line 'Log snapshot endpoint not supported by this Coder version, skipping'
	assert_line --partial "coderd answered 404 'Route not found.': this Coder has no log-snapshot route (it predates v2.30.0"
	refute_line 'Log snapshot capture failed, continuing shutdown'
	rm -f "$FAKE_LOG_DIR"/*
	FAKE_POST_STATUSES=404 FAKE_POST_BODY='{"message":"Resource not found or you do not have access to this resource"}' run_main
	assert_success
	[[ $stderr == "Error: coderd has no task $TASK for this workspace (HTTP 404 'Resource not found"*"check the module's task_id, or the task was deleted; no log snapshot stored" ]]
	refute_line 'Log snapshot endpoint not supported by this Coder version, skipping'
	assert_line 'Log snapshot capture failed, continuing shutdown'
	assert_line 'Shutdown complete'
	assert_equal "$(posted_count)" 1
	rm -f "$FAKE_LOG_DIR"/*
	FAKE_POST_STATUSES=404 FAKE_POST_BODY='<html>404 page not found</html>' run_main
	assert_line 'Log snapshot endpoint not supported by this Coder version, skipping'
	assert_line --partial "coderd answered 404 without its 'Route not found.' message"
}

@test "main: a 429 whose Retry-After is past the deadline ends the upload at once; one within it is waited for" {
	FAKE_POST_STATUSES='429 204' FAKE_POST_HEADERS='Retry-After: 60' run_main
	assert_success
	[[ $stderr == *'Error: coderd asked to retry after 60s (HTTP 429), past the log snapshot deadline ('*'s left): giving up on the upload'* ]]
	assert_line 'Log snapshot capture failed, continuing shutdown'
	assert_equal "$(posted_count)" 1
	rm -f "$FAKE_LOG_DIR"/*
	FAKE_POST_STATUSES='429 204' FAKE_POST_HEADERS='retry-after: 1' ARG_SNAPSHOT_DEADLINE=5 run_main
	assert_line 'Log snapshot posted successfully'
	assert_equal "$(posted_count)" 2
}

@test "retry_after: whole seconds from curl's or wget's header lines, the last one; none or a date fails" {
	printf 'HTTP/1.1 429 Too Many Requests\r\nRetry-After: 60\r\n\r\n' >"$BATS_TEST_TMPDIR/h"
	retry_after "$BATS_TEST_TMPDIR/h"
	assert_equal "$_retry_after_s" 60
	printf '  HTTP/1.1 429 Too Many Requests\n  retry-after: 7\n' >"$BATS_TEST_TMPDIR/h"
	retry_after "$BATS_TEST_TMPDIR/h"
	assert_equal "$_retry_after_s" 7
	printf 'Retry-After: Wed, 21 Oct 2026 07:28:00 GMT\r\n' >"$BATS_TEST_TMPDIR/h"
	run retry_after "$BATS_TEST_TMPDIR/h"
	assert_failure
	printf 'X-RateLimit-Limit: 512\r\n' >"$BATS_TEST_TMPDIR/h"
	run retry_after "$BATS_TEST_TMPDIR/h"
	assert_failure
}

@test "backoff_jitter: a random wait from 0 to the cap, from od and /dev/urandom or, without od, the clock; the bench hook waits the cap" {
	seen=
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do
		backoff_jitter 160
		[ "$_jitter_cs" -ge 0 ] && [ "$_jitter_cs" -le 160 ]
		seen="$seen $_jitter_cs"
	done
	# twelve draws from 161 values all equal would mean no randomness at all
	[ "$(printf '%s\n' $seen | sort -u | wc -l)" -gt 1 ]
	printf '#!/bin/sh\nexit 1\n' >"$BATS_TEST_TMPDIR/bin/od"
	chmod +x "$BATS_TEST_TMPDIR/bin/od"
	PATH=$FAKE_PATH backoff_jitter 40
	[ "$_jitter_cs" -ge 0 ] && [ "$_jitter_cs" -le 40 ]
	AGENTAPI_KIT_NO_JITTER=1 backoff_jitter 80
	assert_equal "$_jitter_cs" 80
}

@test "main: a jq that cannot compile the program (jq 1.5) gives way to awk" {
	printf '#!/bin/sh\necho "jq: 1 compile error" >&2\nexit 3\n' >"$BATS_TEST_TMPDIR/bin/jq"
	chmod +x "$BATS_TEST_TMPDIR/bin/jq"
	# jq first (a short body goes to awk first otherwise); the hook takes a list
	AGENTAPI_KIT_JSON_ENGINE='jq awk' run_main
	assert_line 'Log snapshot posted successfully'
	[[ $stderr == *'jq 1.6 or later is needed), using awk'* ]]
	assert_equal "$(cat "$FAKE_LOG_DIR/posted.1")" "$(cat "$FIXTURES/pretty.expected.json")"
}

@test "main: a body jq or awk cannot parse is logged as not JSON, not as a generic failure (needs jq)" {
	command -v jq >/dev/null || skip 'needs jq'
	printf '<html><body>502 Bad Gateway</body></html>\n' >"$BATS_TEST_TMPDIR/html"
	for engine in jq awk; do
		FAKE_MESSAGES_FILE=$BATS_TEST_TMPDIR/html AGENTAPI_KIT_JSON_ENGINE=$engine run_main
		assert_success
		assert_equal "$engine: $stderr" "$engine: Error: AgentAPI's /messages answer is not JSON, not posting a log snapshot"
		assert_line 'Log snapshot capture failed, continuing shutdown'
		assert_line 'Shutdown complete'
	done
	assert_equal "$(posted_count)" 0
}

@test "main: a fetch that runs out of time or is cut off mid-body says so, not 'not JSON'" {
	FAKE_FETCH_BYTES=100 FAKE_FETCH_EXIT=28 run_main
	assert_success
	assert_equal "$stderr" 'Error: Fetching messages from AgentAPI on port 3284 timed out after 2s in the middle of its answer (HTTP 200)'
	assert_line 'Log snapshot capture failed, continuing shutdown'
	FAKE_FETCH_STATUS=000 FAKE_FETCH_BYTES=0 FAKE_FETCH_EXIT=28 run_main
	assert_equal "$stderr" 'Error: Fetching messages from AgentAPI on port 3284 timed out after 2s without an answer'
	FAKE_FETCH_BYTES=100 FAKE_FETCH_EXIT=18 run_main
	assert_equal "$stderr" "Error: AgentAPI's /messages answer on port 3284 was cut off (curl exit status 18)"
	assert_line 'Log snapshot capture failed, continuing shutdown'
	assert_equal "$(posted_count)" 0
}

@test "main with GNU wget: a fetch stopped by timeout(1) mid-body says it timed out" {
	command -v timeout >/dev/null || skip 'timeout (coreutils or BusyBox) is not installed'
	ARG_FETCH_TIMEOUT=1 FAKE_FETCH_BYTES=100 FAKE_FETCH_SLEEP=5 AGENTAPI_KIT_HTTP_CLIENT=wget run_main
	assert_success
	assert_equal "$stderr" 'Error: Fetching messages from AgentAPI on port 3284 timed out after 1s in the middle of its answer (HTTP 200)'
	assert_line 'Log snapshot capture failed, continuing shutdown'
	assert_equal "$(posted_count)" 0
}

@test "main: jq or awk stopped by timeout(1) at the deadline logs that time ran out" {
	command -v timeout >/dev/null || skip 'timeout (coreutils or BusyBox) is not installed'
	# over 2 MB, so the engine runs under timeout(1) with the 1 s the fetch leaves; the fake
	# engines would take 30 s
	{
		printf '{"messages":[{"content":"'
		head -c 2100000 /dev/zero | tr '\0' x
		printf '"}]}\n'
	} >"$BATS_TEST_TMPDIR/big.json"
	for engine in jq awk; do
		printf '#!/bin/sh\nexec sleep 30\n' >"$BATS_TEST_TMPDIR/bin/$engine"
		chmod +x "$BATS_TEST_TMPDIR/bin/$engine"
		# a window larger than the body: the whole body is read, under timeout(1)
		FAKE_MESSAGES_FILE=$BATS_TEST_TMPDIR/big.json ARG_SNAPSHOT_DEADLINE=2 AGENTAPI_KIT_JSON_ENGINE=$engine \
			AGENTAPI_KIT_WINDOW_BYTES=100000000 run_main
		assert_success
		# what the fetch left of the 2 s deadline: 1 s, or 2 s when the fetch ended within the first second
		[[ $stderr =~ ^Error:\ Ran\ out\ of\ time\ building\ the\ log\ snapshot\ payload\ with\ $engine\ \(the\ snapshot\ deadline\ left\ [12]s\ for\ it\)$ ]] ||
			fail "unexpected stderr: $stderr"
		assert_line 'Log snapshot capture failed, continuing shutdown'
		assert_line 'Shutdown complete'
	done
	assert_equal "$(posted_count)" 0
}

@test "main: an upload that times out says so and is retried within the deadline" {
	FAKE_POST_EXIT=28 ARG_SNAPSHOT_DEADLINE=2 run_main
	assert_success
	# the deadline leaves the first attempt 1 s of its 2 s post timeout
	[[ $stderr == *'Warning: Log snapshot upload attempt 1 timed out after 1s'* ]]
	[[ $stderr == *'Error: Giving up on the log snapshot upload after '*' attempts'* ]]
	assert_line 'Log snapshot capture failed, continuing shutdown'
	[ "$(posted_count)" -ge 2 ]
}

@test "main: a non-2xx /messages answer posts nothing" {
	FAKE_FETCH_STATUS=500 run_main
	assert_success
	[[ $stderr == *'Failed to fetch messages from AgentAPI on port 3284 (HTTP 500)'* ]]
	assert_equal "$(posted_count)" 0
}

@test "main: no curl or wget on PATH skips the snapshot and exits 0" {
	mkdir -p "$BATS_TEST_TMPDIR/no-http"
	# jq is optional (awk stands in), so it is linked only where installed
	for tool in mktemp rm cat jq awk sleep; do
		path=$(command -v "$tool") || continue
		ln -s "$path" "$BATS_TEST_TMPDIR/no-http/$tool"
	done
	PATH=$BATS_TEST_TMPDIR/no-http run --separate-stderr main
	assert_success
	assert_equal "$stderr" 'Error: Neither curl nor wget is installed, cannot post a log snapshot'
	assert_line 'Shutdown complete'
}

@test "main: the private temp dir is 0700 while in use and gone afterwards" {
	FAKE_POST_STATUSES=204 run_main
	assert_success
	assert_equal "$(find "$TMPDIR" -mindepth 1 | wc -l | tr -d ' ')" 0
	make_private_dir agentapi-shutdown
	assert_equal "$(stat -c %a "$_tmp_dir")" 700
	remove_private_dir
	assert_equal "$(find "$TMPDIR" -mindepth 1 | wc -l | tr -d ' ')" 0
}

@test "the script file killed with SIGTERM mid-upload sends AgentAPI SIGTERM, removes its temp dir and exits 143" {
	command -v setsid >/dev/null || skip 'setsid (util-linux) is not installed'
	# AgentAPI: outside the script's process group, so only the script can signal it
	sleep 30 &
	AGENTAPI_PID=$!
	export ARG_PID_FILE_PATH=$BATS_TEST_TMPDIR/agentapi.pid
	echo "$AGENTAPI_PID" >"$ARG_PID_FILE_PATH"
	FAKE_POST_SLEEP=30 PATH=$FAKE_PATH AGENTAPI_KIT_SOURCE_ONLY= setsid dash "$SCRIPT" >"$BATS_TEST_TMPDIR/out" 2>&1 &
	BACKGROUND_PID=$!
	for _ in $(seq 100); do
		[ -e "$FAKE_LOG_DIR/posted.1" ] && break
		sleep 0.1
	done
	[ -e "$FAKE_LOG_DIR/posted.1" ]
	[ "$(find "$TMPDIR" -mindepth 1 -maxdepth 1 | wc -l)" -eq 1 ]
	kill -s TERM -- "-$BACKGROUND_PID"
	wait "$BACKGROUND_PID" || status=$?
	assert_equal "$status" 143
	assert_equal "$(find "$TMPDIR" -mindepth 1 | wc -l | tr -d ' ')" 0
	agentapi_status=0
	wait "$AGENTAPI_PID" || agentapi_status=$?
	assert_equal "$agentapi_status" 143
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line "Sending SIGTERM to AgentAPI (pid $AGENTAPI_PID)"
	refute_line 'Shutdown complete'
}
