"""The contract between training, the service and the firmware: numpy, onnxruntime and the standard library only.

``from adtrigger.bundle import load_bundle`` reads and checks a bundle (docs/bundle.md);
:mod:`adtrigger.bundle.scoring` is the one scoring path over its ONNX graph, :mod:`adtrigger.bundle.rates` turns
rates into thresholds and back. Those two are imported on demand (they need numpy / onnxruntime).
"""

from adtrigger.bundle.schema import SCHEMA_VERSION, BundleError, validate_card
from adtrigger.bundle.store import (
    CARD_FILE,
    Bundle,
    atomic_write_bytes,
    atomic_write_json,
    file_entry,
    load_bundle,
    read_card,
    sha256_file,
    update_card,
    write_card,
)

__all__ = [
    "CARD_FILE",
    "SCHEMA_VERSION",
    "Bundle",
    "BundleError",
    "atomic_write_bytes",
    "atomic_write_json",
    "file_entry",
    "load_bundle",
    "read_card",
    "sha256_file",
    "update_card",
    "validate_card",
    "write_card",
]
