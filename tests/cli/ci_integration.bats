#!/usr/bin/env bats
# SPDX-License-Identifier: BSD-3-Clause
# The shipped integration files (docs/ci.md) with the real tools, offline:
# Debian's pre-commit runs the hooks of .pre-commit-hooks.yaml in a
# temporary git repository and refuses a bad commit; the commands of
# contrib/ci/github-workflow.yml and contrib/ci/gitlab-ci.yml run on a
# fixture repository of zone files (tests/data/ci/repo), all but the
# checkouts, the build and the upload.

bats_require_minimum_version 1.5.0
load helper

CHECK=$DP_SRCDIR/tests/cli/ci_check.py
MT=${DP_TOOLS:-$DP_SRCDIR/_tools}/npm/node_modules/@microsoft/sarif-multitool-linux
ROGUE='_validation-persist.www IN TXT "letsencrypt.org; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/666"'
MALFORMED='_validation-persist.api IN TXT "letsencrypt.org; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/1234567890;"'

setup() {
	command -v git >/dev/null || skip "git is not installed"
	[ -x /usr/bin/python3 ] || skip "python3 is not installed"
	# the hooks and examples call the dnspersist on PATH: this build's
	PATH=$DP_BUILDDIR:$PATH
	export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t \
		GIT_COMMITTER_EMAIL=t@example.com GIT_CONFIG_NOSYSTEM=1 HOME=$BATS_TEST_TMPDIR
	export PRE_COMMIT_HOME=$BATS_TEST_TMPDIR/pre-commit-home
	R=$BATS_TEST_TMPDIR/repo
	cp -r "$DP_SRCDIR/tests/data/ci/repo" "$R"
	cd "$R"
	git init -q -b main .
	git add -A
	git commit -qm "zones as they are"
}

need_pre_commit() {
	command -v pre-commit >/dev/null || skip "pre-commit is not installed"
}

@test "pre-commit accepts the shipped hook manifest" {
	need_pre_commit
	run pre-commit validate-manifest "$DP_SRCDIR/.pre-commit-hooks.yaml"
	status_is 0
	# and a manifest it would refuse is refused (the check can fail)
	printf -- '- id: x\n  language: no-such-language\n' >"$BATS_TEST_TMPDIR/bad.yaml"
	run pre-commit validate-manifest "$BATS_TEST_TMPDIR/bad.yaml"
	[ "$status" -ne 0 ]
}

@test "pre-commit with the shipped hooks refuses a record for an unknown account, passes a clean commit" {
	need_pre_commit
	# the shipped hook definitions, as a local repository's (no clone, offline)
	{
		printf 'repos:\n- repo: local\n  hooks:\n'
		grep -v '^#' "$DP_SRCDIR/.pre-commit-hooks.yaml" | sed 's/^/  /'
	} >.pre-commit-config.yaml
	git add .pre-commit-config.yaml
	git commit -qm "pre-commit configuration"
	run pre-commit install
	status_is 0
	# a clean change passes both hooks
	echo 'www IN A 192.0.2.80' >>zones/example.com.zone
	git add zones/example.com.zone
	run git commit -m "www address"
	status_is 0
	has "dnspersist lint"
	has "dnspersist scan"
	[[ "$output" != *Failed* ]]
	# a record for an account the inventory does not know: refused, with the finding
	echo "$ROGUE" >>zones/example.com.zone
	git add zones/example.com.zone
	run git commit -m "a new account"
	[ "$status" -ne 0 ]
	has "account-unexpected"
	has "https://acme-v02.api.letsencrypt.org/acme/acct/666"
	[ "$(git log --oneline | wc -l)" -eq 3 ]
	# a malformed record: the lint hook refuses it too
	git checkout -q -- zones/example.com.zone
	git reset -q
	echo "$MALFORMED" >>zones/example.com.zone
	git add zones/example.com.zone
	run git commit -m "a malformed record"
	[ "$status" -ne 0 ]
	has "record-malformed"
	[ "$(git log --oneline | wc -l)" -eq 3 ]
}

@test "pre-commit try-repo runs the hooks of this working tree" {
	need_pre_commit
	git -C "$DP_SRCDIR" rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
		skip "the source tree is not a git working tree (try-repo clones it)"
	run pre-commit try-repo "$DP_SRCDIR" dnspersist-lint --all-files
	status_is 0
	has "dnspersist lint"
	echo "$MALFORMED" >>zones/example.com.zone
	git add zones/example.com.zone
	run pre-commit try-repo "$DP_SRCDIR" dnspersist-lint
	[ "$status" -ne 0 ]
	has "record-malformed"
}

# The example's commands as scripts in $BATS_TEST_TMPDIR/KIND, run in order in the repository.
steps() {
	S=$BATS_TEST_TMPDIR/$1
	mkdir -p "$S"
	"$CHECK" steps "$1" "$DP_SRCDIR/contrib/ci/$2" "$S"
}

run_steps() {
	local s rc=0
	for s in "$S"/*.sh; do
		bash --noprofile --norc "$s" >"$s.out" 2>&1 || rc=$?
		cat "$s.out"
		[ "$rc" -eq 0 ] || return "$rc"
	done
}

@test "the GitHub workflow's commands on a repository of zone files" {
	steps github github-workflow.yml
	[ -f "$S/00-sarif.sh" ] && [ -f "$S/01-diff.sh" ] && [ -f "$S/02-gate.sh" ]
	export BASE_SHA=$(git rev-parse HEAD) GITHUB_STEP_SUMMARY=$BATS_TEST_TMPDIR/summary.md
	: >"$GITHUB_STEP_SUMMARY"
	run run_steps
	status_is 0
	grep -q '^### dnspersist scan: ok$' "$GITHUB_STEP_SUMMARY"
	if [ -x "$MT/Sarif.Multitool" ]; then
		"$CHECK" sarif-schema "$MT/sarif-2.1.0.json" dnspersist.sarif
	fi
	grep -q '"results":\[$' dnspersist.sarif
	# the pull request adds a record for an unknown account: annotated, the gate fails
	echo "$ROGUE" >>zones/example.com.zone
	git commit -qam "a new account"
	: >"$GITHUB_STEP_SUMMARY"
	run run_steps
	status_is 1
	has "::error file=zones/example.com.zone,line=9,col=1,title=critical account-unexpected (www.example.com)::"
	# DNS data escaped as every Markdown cell is (no autolink of www.example.com)
	grep -qF '| critical | `account-unexpected` | www\.example\.com | zones/example\.com\.zone:9 |' "$GITHUB_STEP_SUMMARY"
	# the diff step put what the change authorizes into the summary
	grep -q '^### dnspersist diff: git' "$GITHUB_STEP_SUMMARY"
	grep -q '^| \\+ grant | letsencrypt\\.org | ' "$GITHUB_STEP_SUMMARY"
	grep -q '"ruleId":"account-unexpected"' dnspersist.sarif
	dp scan --inventory dnspersist.inventory.yaml --zone zones --format json >report.json || true
	"$CHECK" sarif report.json dnspersist.sarif dnspersist/scan/
}

@test "the GitLab job's commands on a repository of zone files" {
	command -v xmllint >/dev/null || skip "xmllint (libxml2-utils) is not installed"
	steps gitlab gitlab-ci.yml
	run run_steps
	status_is 0
	xmllint --noout --schema "$DP_SRCDIR/tests/data/ci/junit.xsd" dnspersist-junit.xml
	[ "$(cat gl-code-quality-report.json)" = "[
]" ]
	echo "$ROGUE" >>zones/example.com.zone
	git commit -qam "a new account"
	run run_steps
	status_is 1
	has "account-unexpected"
	xmllint --noout --schema "$DP_SRCDIR/tests/data/ci/junit.xsd" dnspersist-junit.xml
	dp scan --inventory dnspersist.inventory.yaml --zone zones --format json >report.json || true
	"$CHECK" junit report.json dnspersist-junit.xml
	"$CHECK" codequality report.json gl-code-quality-report.json
	grep -q '"check_name":"account-unexpected"' gl-code-quality-report.json
}
