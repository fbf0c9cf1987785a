"""What the front ends share: sessions, batch runs, fixing, baselines, duplicates, the Python API."""
