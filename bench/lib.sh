# SPDX-License-Identifier: BSD-3-Clause
# Shared by the bench scripts (sourced from the repository's top directory).

# Install the Debian packages given (as root), or print the command and stop;
# then build dnspersist. Sets $build, the directory the programs are in.
bench_setup() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		if [ "$(id -u)" -ne 0 ]; then
			echo "bench: run: sudo apt-get install -y ${missing[*]}" >&2
			exit 2
		fi
		apt-get update -qq &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
	fi
	./dev.sh build
	build=$(if [ -f config.status ]; then echo "$PWD"; else echo "$PWD/_build"; fi)
}
