"""Photos: re-encoded on build with all metadata stripped, resized, WebP with a JPEG fallback.

Stub: the implementation is being written. ``process_images`` receives MkDocs' files after the
record pages were added and returns them with every raster image replaced by clean variants.
"""

from __future__ import annotations


def process_images(files, config, site):
    return files
