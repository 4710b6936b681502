#!/usr/bin/env bash
# Install Debian's nginx for the topology test (tests/topology) and the load benchmark, when missing.
# Used by .ci/run; locally (as root, or with sudo): sudo scripts/nginx_for_tests.sh
# The tests run it as the current user with a temporary prefix; the package's own service is not needed.
set -euo pipefail
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light
fi
"$(command -v nginx || echo /usr/sbin/nginx)" -v
