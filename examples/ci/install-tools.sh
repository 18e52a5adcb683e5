#!/bin/sh
# Installs what `agentapi-kit conformance` needs in a CI container: the matrix's shells, curl, GNU wget
# (BusyBox wget can send the agent token only in its argv, which the script refuses, so the wget
# scenarios need GNU wget: Alpine's `wget` package), jq, and Node where the image has none.
# Used by github-actions.yml and by the docker recipes in README.md, so both install the same.
set -eu

case "${1:-}" in
alpine)
	packages="git bash dash mksh yash zsh curl wget jq"
	command -v node >/dev/null 2>&1 || packages="nodejs npm $packages"
	# shellcheck disable=SC2086 # one word per package
	apk add --no-cache $packages
	;;
debian)
	DEBIAN_FRONTEND=noninteractive
	export DEBIAN_FRONTEND
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends \
		ca-certificates git xz-utils \
		dash bash busybox mksh yash zsh ksh posh \
		curl wget jq procps
	;;
*)
	echo "usage: install-tools.sh alpine|debian" >&2
	exit 2
	;;
esac
