"""ui: Streamlit glue (cached data access in cache.py, the shared frame in frame.py, page helpers); the top."""
