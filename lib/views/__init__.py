"""views: what pages and exports show, as frames and chart specs, without Streamlit; imports the wings below."""
