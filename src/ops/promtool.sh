#!/bin/sh
# Checks the Prometheus rules shipped in docs/ops and runs their unit tests with promtool.
# Run by `mvn verify` (exec-maven-plugin in the root pom). promtool comes with Debian's `prometheus`
# package, which .ci/run installs: under CI=true a missing promtool fails the build, elsewhere the check
# is skipped with a message.
set -eu
dir=$1
promtool=${PROMTOOL:-/usr/bin/promtool}
if [ ! -x "$promtool" ]; then
	if [ "${CI:-}" = "true" ]; then
		echo "CI=true and $promtool is not installed: install Debian's prometheus package" >&2
		exit 1
	fi
	echo "$promtool is not installed: the rules in $dir are NOT checked (install Debian's prometheus package)"
	exit 0
fi
"$promtool" check rules "$dir/supervision-rules.yml"
cd "$dir"
"$promtool" test rules supervision-rules.test.yml
