"""The team deployment's topology, run for real: nginx, two replicas, PostgreSQL, the worker.

Without nginx, PostgreSQL or Chromium the tests skip with one line; where $TOPOLOGY_REQUIRE is set
(CI) a skip is a failure. Ports 8640-8642 (proxy, replica A, replica B).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.topology.cluster import Cluster, missing, team_cluster

PROXY_PORT = 8640


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    reason = missing()
    if reason:
        if os.environ.get("TOPOLOGY_REQUIRE"):
            pytest.fail(f"TOPOLOGY_REQUIRE is set but the topology cannot run: {reason}")
        pytest.skip(f"topology: {reason}")
    with team_cluster(tmp_path_factory.mktemp("topology"), port=PROXY_PORT) as running:
        yield running


@pytest.fixture(scope="module")
def browser(cluster: Cluster, request: pytest.FixtureRequest):
    return request.getfixturevalue("chromium_session")  # the run's one Chromium (tests/conftest.py)
