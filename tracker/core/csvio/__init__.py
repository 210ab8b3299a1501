"""CSV in and out: reading, checking, writing, the overlapped import, the exports, bundles, the seed."""
