"""The one exception type of the converter, so bad raw input gives one clear message."""


class ConvertError(ValueError):
    """Raised when a raw file is missing, malformed or does not match the region registry."""
