"""The tests' bundles come from the package's synthetic bundle writer."""
from deeppose_torch.synthetic import make_bundle, tiny_plan  # noqa: F401
