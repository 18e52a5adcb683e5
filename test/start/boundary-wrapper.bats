#!/usr/bin/env bats
# The boundary wrapper and its helpers alone, sourced from the rendered start script
# (AGENTAPI_KIT_SOURCE_ONLY=1 keeps main from running). The shell matrix and the three ways run in
# vitest (test/start/boundary.test.ts); these pin the wrapper's contract.

load '../../node_modules/bats-support/load'
load '../../node_modules/bats-assert/load'
bats_require_minimum_version 1.5.0

setup() {
	SCRIPT="$BATS_TEST_DIRNAME/../../modules/agentapi/scripts/agentapi-start.sh"
	FIXTURES="$BATS_TEST_DIRNAME/../fixtures/boundary"
	AGENTAPI_KIT_SOURCE_ONLY=1
	# shellcheck source=/dev/null
	. "$SCRIPT"
	HOME=$BATS_TEST_TMPDIR/home
	# A module directory whose path needs quoting in the wrapper.
	module_dir="$HOME/it's a module"
	mkdir -p "$module_dir"
}

@test "quote_sh: any text survives as one word through eval" {
	for text in '' plain 'two words' "it's" "''" '$HOME *' 'back\slash' '"q"'; do
		quoted=$(quote_sh "$text")
		eval "back=$quoted"
		assert_equal "$back" "$text"
	done
}

@test "write_boundary_wrapper: a POSIX sh script that execs boundary with -- and every argument intact" {
	_bd_wrapper=$module_dir/boundary-wrapper.sh
	write_boundary_wrapper "$(quote_sh "$FIXTURES/boundary")"
	run cat "$_bd_wrapper"
	assert_line --index 0 '#!/bin/sh'
	assert_line --index 2 "exec '$FIXTURES/boundary' -- \"\$@\""
	[ -x "$_bd_wrapper" ]
	FAKE_BOUNDARY_LOG=$BATS_TEST_TMPDIR/calls run "$_bd_wrapper" printf '<%s>' 'a b' '' "it's" '$HOME'
	assert_success
	assert_output "<a b><><it's><\$HOME>"
	run cat "$BATS_TEST_TMPDIR/calls"
	assert_output "boundary [--] [printf] [<%s>] [a b] [] [it's] [\$HOME]"
}

@test "write_boundary_wrapper: the wrapper passes shellcheck -s sh (needs shellcheck)" {
	command -v shellcheck >/dev/null || skip 'needs shellcheck'
	_bd_wrapper=$module_dir/boundary-wrapper.sh
	write_boundary_wrapper "$(quote_sh "$FIXTURES/boundary")"
	run shellcheck -s sh "$_bd_wrapper"
	assert_success
}

@test "write_boundary_wrapper: replaces an old wrapper in one step and leaves no temp file" {
	_bd_wrapper=$module_dir/boundary-wrapper.sh
	printf 'old\n' >"$_bd_wrapper"
	write_boundary_wrapper true
	run ls -A "$module_dir"
	assert_output boundary-wrapper.sh
	run "$_bd_wrapper"
	assert_success
}

@test "setup_boundary: off exports an empty prefix and writes nothing" {
	ARG_ENABLE_BOUNDARY=false
	setup_boundary
	run sh -c 'printf "[%s]" "${AGENTAPI_BOUNDARY_PREFIX-unset}"'
	assert_output '[]'
	run ls -A "$module_dir"
	assert_output ''
}

@test "boundary_inputs: the registry's defaults, exported" {
	unset ARG_ENABLE_BOUNDARY ARG_BOUNDARY_VERSION ARG_COMPILE_BOUNDARY_FROM_SOURCE ARG_USE_BOUNDARY_DIRECTLY
	boundary_inputs
	run sh -c 'echo "$ARG_ENABLE_BOUNDARY $ARG_BOUNDARY_VERSION $ARG_COMPILE_BOUNDARY_FROM_SOURCE $ARG_USE_BOUNDARY_DIRECTLY"'
	assert_output 'false latest false false'
}

@test "boundary_step_failed: a timeout (GNU 124, BusyBox 143) says so; any other status points at the output" {
	_bd_seconds=900
	run boundary_step_failed 124 'make build'
	assert_output 'make build did not finish within 900 s'
	run boundary_step_failed 143 'make build'
	assert_output 'make build did not finish within 900 s'
	run boundary_step_failed 2 'make build'
	assert_output 'make build failed (exit status 2; its output is above)'
}

@test "resolve_boundary_privilege: root and writable directories need no sudo" {
	PATH=$FIXTURES:$PATH
	FAKE_UID=0 resolve_boundary_privilege /nonexistent/dir
	assert_equal "$_bd_sudo" ''
	FAKE_UID=1000 resolve_boundary_privilege "$module_dir"
	assert_equal "$_bd_sudo" ''
	FAKE_BOUNDARY_FIXTURES=$FIXTURES FAKE_UID=1000 resolve_boundary_privilege /nonexistent/dir
	assert_equal "$_bd_sudo" sudo
}
