"""Install the card's root folders as one namespace: training/ -> adtrigger.training, and so on.

The metadata lives in pyproject.toml; only the folder mapping is computed here, because the slim service image
(docker/Dockerfile.service) copies adtrigger/ and service/ alone and the package list must follow what is present.
"""

from pathlib import Path

from setuptools import find_packages, setup

PARTS = ("training", "firmware", "service")

package_dir = {"adtrigger": "adtrigger"}
packages = find_packages(include=["adtrigger", "adtrigger.*"])
for part in PARTS:
    if (Path(part) / "__init__.py").is_file():
        package_dir[f"adtrigger.{part}"] = part
        packages += [f"adtrigger.{part}"] + [f"adtrigger.{part}.{sub}" for sub in find_packages(where=part)]

# Package data is named in pyproject.toml (the cards); nothing else is picked up from the tree.
setup(package_dir=package_dir, packages=packages, include_package_data=False)
