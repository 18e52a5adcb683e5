#!/usr/bin/env bats
# Unit tests for the start script's helper functions, sourced from the rendered script
# (AGENTAPI_KIT_SOURCE_ONLY=1 keeps main from running). The shell matrix runs in vitest
# (test/start/*.test.ts); these pin the helpers' contracts one by one.

load '../../node_modules/bats-support/load'
load '../../node_modules/bats-assert/load'
bats_require_minimum_version 1.5.0

setup() {
	SCRIPT="$BATS_TEST_DIRNAME/../../modules/agentapi/scripts/agentapi-start.sh"
	AGENTAPI_KIT_SOURCE_ONLY=1
	# shellcheck source=/dev/null
	. "$SCRIPT"
	HOME=$BATS_TEST_TMPDIR/home
	mkdir -p "$HOME"
}

@test "expand_home: ~ and ~/ become HOME, anything else is kept" {
	run expand_home '~'
	assert_output "$HOME"
	run expand_home '~/work/repo'
	assert_output "$HOME/work/repo"
	run expand_home '/srv/~x'
	assert_output '/srv/~x'
	run expand_home '~other/x'
	assert_output '~other/x'
}

@test "is_positive_integer accepts 1 and 150, rejects 0, 00, -1, 1.5, empty and words" {
	is_positive_integer 1
	is_positive_integer 150
	for bad in 0 00 -1 1.5 '' abc ' 3'; do
		run is_positive_integer "$bad"
		assert_failure
	done
}

@test "agentapi_download_url: tagged and latest GitHub layouts" {
	unset ARG_AGENTAPI_DOWNLOAD_BASE_URL
	run agentapi_download_url v0.12.1 agentapi-linux-amd64
	assert_output 'https://github.com/coder/agentapi/releases/download/v0.12.1/agentapi-linux-amd64'
	run agentapi_download_url latest agentapi-linux-arm64
	assert_output 'https://github.com/coder/agentapi/releases/latest/download/agentapi-linux-arm64'
}

@test "agentapi_download_url: ARG_AGENTAPI_DOWNLOAD_BASE_URL replaces the releases URL (trailing slash ok)" {
	ARG_AGENTAPI_DOWNLOAD_BASE_URL=http://mirror.local/agentapi/
	run agentapi_download_url v0.12.1 agentapi-linux-amd64
	assert_output 'http://mirror.local/agentapi/download/v0.12.1/agentapi-linux-amd64'
}

@test "has_shebang: only files starting with #!" {
	printf '#!/bin/sh\necho hi\n' >"$HOME/a"
	printf '#!/usr/bin/env bash' >"$HOME/b"
	printf 'echo #!/bin/sh\n' >"$HOME/c"
	: >"$HOME/d"
	has_shebang "$HOME/a"
	has_shebang "$HOME/b"
	run has_shebang "$HOME/c"
	assert_failure
	run has_shebang "$HOME/d"
	assert_failure
}

@test "detect_agentapi_version reads the version word of agentapi --version" {
	agentapi() { printf 'agentapi version v0.13.2\n'; }
	ARG_AGENTAPI_VERSION=v0.1.0
	detect_agentapi_version
	assert_equal "$agentapi_version" v0.13.2
}

@test "detect_agentapi_version falls back to ARG_AGENTAPI_VERSION when no version word comes back" {
	agentapi() { printf 'agentapi version dev *\n'; }
	ARG_AGENTAPI_VERSION=v0.11.0
	detect_agentapi_version
	assert_equal "$agentapi_version" v0.11.0
	agentapi() { return 2; }
	detect_agentapi_version
	assert_equal "$agentapi_version" v0.11.0
}

@test "run_user_step: output shown and logged, status kept through the pipe into tee" {
	module_dir=$HOME/mod
	mkdir -p "$module_dir"
	fallback_shell=/bin/sh
	run run_user_step install "install script" 'echo "to stdout"; echo "to stderr" >&2; exit 4'
	assert_failure 1
	assert_output --partial 'to stdout'
	assert_output --partial "Error: the install script failed (exit status 4); see $module_dir/install.log"
	assert_equal "$(cat "$module_dir/install.log")" "$(printf 'to stdout\nto stderr')"
	[ ! -e "$module_dir/install.status" ]
}

@test "run_user_step: an empty script is skipped, a passing one is reported" {
	module_dir=$HOME/mod
	mkdir -p "$module_dir"
	run run_user_step pre_install "pre-install script" ''
	assert_success
	assert_output ''
	run run_user_step pre_install "pre-install script" 'true'
	assert_success
	assert_output --partial 'The pre-install script finished'
	# Owner-only: install scripts may carry credentials.
	run stat -c %a "$module_dir/pre_install.sh"
	assert_output 700
}

@test "prepend_path puts a directory first once" {
	PATH=/usr/bin:/bin
	prepend_path /opt/x
	assert_equal "$PATH" /opt/x:/usr/bin:/bin
	prepend_path /opt/x
	assert_equal "$PATH" /opt/x:/usr/bin:/bin
	prepend_path /bin
	assert_equal "$PATH" /bin:/opt/x:/usr/bin:/bin
}

@test "use_utf8_locale keeps a UTF-8 locale and replaces others with en_US.UTF-8" {
	unset LC_ALL
	LANG=C.utf8
	use_utf8_locale
	assert_equal "$LANG" C.utf8
	assert_equal "${LC_ALL-unset}" unset
	LANG=C
	use_utf8_locale
	assert_equal "$LANG/$LC_ALL" en_US.UTF-8/en_US.UTF-8
}

@test "fail prints Error: MSG on stderr and exits 1" {
	run --separate-stderr fail "something broke"
	assert_failure 1
	assert_equal "$stderr" 'Error: something broke'
	assert_output ''
}

@test "version_at_least: semver compares, non-semver passes" {
	version_at_least v0.12.0 v0.12.0
	version_at_least 0.12.1 v0.12.0
	run version_at_least v0.11.9 v0.12.0
	assert_failure
	version_at_least latest v0.12.0
	version_at_least '' v0.12.0
}

@test "pick_socket_owner: the PID whose fd links to one of the socket inodes, from ls -l of /proc/*/fd" {
	listing='/proc/10/fd:
total 0
lrwx------ 1 u u 64 Dec  2 18:20 0 -> /dev/null
lrwx------ 1 u u 64 Dec  2 18:20 3 -> socket:[111]

/proc/22/fd:
total 0
lrwx------ 1 u u 64 Dec  2 18:20 3 -> socket:[2222]
lrwx------ 1 u u 64 Dec  2 18:20 4 -> socket:[333]'
	run pick_socket_owner ' 999 333' <<<"$listing"
	assert_output 22
	run pick_socket_owner ' 22' <<<"$listing"
	assert_output ''
	run pick_socket_owner ' 111' <<<"$listing"
	assert_output 10
}

@test "find_listener_pid: finds this test's own listening socket, and nothing on a port no one listens on" {
	command -v node >/dev/null || skip 'node is not installed'
	[ -r /proc/net/tcp ] || skip 'no /proc/net/tcp (not Linux)'
	port_file=$BATS_TEST_TMPDIR/port
	node -e 'const s=require("net").createServer().listen(0,()=>{require("fs").writeFileSync(process.argv[1],String(s.address().port))});setTimeout(()=>{},60000)' "$port_file" &
	listener=$!
	while [ ! -s "$port_file" ]; do sleep 0.05; done
	find_listener_pid "$(cat "$port_file")"
	kill "$listener"
	assert_equal "$_listener_pid" "$listener"
	find_listener_pid 1
	assert_equal "$_listener_pid" ''
}
