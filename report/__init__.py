"""The printable region brief (PDF, HTML) and its batch CLI: layouts of a RegionPicture."""
