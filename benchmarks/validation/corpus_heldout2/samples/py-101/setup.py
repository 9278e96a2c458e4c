from Cython.Build import cythonize
from setuptools import setup

setup(ext_modules=cythonize(["src/fastmath/_speedups.pyx"], language_level=3))
