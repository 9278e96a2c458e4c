from setuptools import setup

setup(
    name="legacy-compat",
    version="4.2.0",
    packages=["legacy_compat"],
    python_requires=">=2.7",
    extras_require={"fast": ["numpy", "simplejson"]},
)
