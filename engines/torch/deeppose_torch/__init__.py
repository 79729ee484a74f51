"""DeepPose Studio's PyTorch training engine (see engines/torch/README in the studio's README)."""

BUNDLE_FORMAT = "deeppose-run-bundle-v1"
