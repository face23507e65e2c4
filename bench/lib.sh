# SPDX-License-Identifier: BSD-3-Clause
# Shared by the bench scripts (sourced from the repository's top directory).

# Install the Debian packages given (dev.sh's own installer), then build
# dnspersist. Sets $build, the directory the programs are in.
bench_setup() {
	./dev.sh need "$@"
	./dev.sh build
	build=$(if [ -f config.status ]; then echo "$PWD"; else echo "$PWD/_build"; fi)
}
