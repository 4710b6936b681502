"""`streamlit` with a debug hook for the memory benchmark, never used by the product: `python
bench/traced_server.py run app.py ...` runs Streamlit's own command line, and on SIGUSR1 writes to
$BENCH_TRACE (a JSON file) what the server holds: sessions active and kept for reconnection, the
media file manager's files and deferred download callables, and (with BENCH_TRACEMALLOC=1) the
allocations still alive by source line. SIGUSR2 runs gc and glibc's malloc_trim, to see how much
of the resident memory is free memory glibc kept rather than objects still alive."""

from __future__ import annotations

import ctypes
import gc
import json
import os
import signal
import sys
import tracemalloc


def held() -> dict:
    """What the running server holds, counted from Streamlit's runtime."""
    from streamlit.runtime import Runtime

    runtime = Runtime.instance()
    sessions = runtime._session_mgr
    media = runtime.media_file_mgr
    return {
        "active_sessions": len(sessions._active_session_info_by_id),
        "stored_sessions": len(sessions._session_storage._cache._data),  # len() would reap expired ones
        "media_files": len(media._file_metadata),
        "media_bytes": sum(len(f.content) for f in media._storage._files_by_id.values()),
        "sessions_with_files": len(media._files_by_session_and_coord),
        "deferred_callables": len(media._deferred_callables),
    }


def census() -> dict:
    """Objects alive by type (the 40 most numerous), and the pandas frames alive with the bytes of
    their columns: cheap enough for a server under load, unlike tracemalloc."""
    import collections

    import pandas as pd

    alive = gc.get_objects()
    counts = collections.Counter(type(thing).__qualname__ for thing in alive)
    frames = [thing for thing in alive if isinstance(thing, pd.DataFrame)]
    frame_bytes = sum(int(frame.memory_usage(index=True, deep=False).sum()) for frame in frames)
    return {"types": dict(counts.most_common(40)), "frames": len(frames), "frame_mib": round(frame_bytes / 2**20, 1)}


DUMPS: list[int] = []  # the sessions active at each dump
TRACE_FROM = int(os.environ.get("BENCH_TRACEMALLOC") or 0)  # tracing starts at this dump (1: the first)


def dump(signum, frame) -> None:
    gc.collect()
    report = {"held": held()}
    DUMPS.append(report["held"]["active_sessions"])
    if TRACE_FROM and len(DUMPS) == TRACE_FROM:
        tracemalloc.start(10)  # what was allocated from now on: what the sessions to come keep
    report["census"] = census()
    if tracemalloc.is_tracing():
        snapshot = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
        top = snapshot.statistics("traceback")[:25]
        report["top"] = [
            {"kib": round(stat.size / 1024), "count": stat.count, "where": stat.traceback.format()[-12:]}
            for stat in top
        ]
        report["traced_mib"] = round(sum(stat.size for stat in snapshot.statistics("filename")) / 2**20, 1)
        snapshot.dump(os.environ["BENCH_TRACE"] + f".{len(DUMPS)}.snapshot")  # 1, 2, ... in the order taken
    with open(os.environ["BENCH_TRACE"] + ".part", "w") as handle:
        json.dump(report, handle, indent=1)
    os.replace(os.environ["BENCH_TRACE"] + ".part", os.environ["BENCH_TRACE"])  # read whole or not at all


def trim(signum, frame) -> None:
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)


if __name__ == "__main__":
    signal.signal(signal.SIGUSR1, dump)
    signal.signal(signal.SIGUSR2, trim)
    from streamlit.web.cli import main

    sys.argv = ["streamlit", *sys.argv[1:]]
    main()
