"""Sphinx configuration of the urbplex documentation site (./scripts/docs.sh)."""
import urbplex

project = "urbplex"
author = "urbplex developers"
copyright = "2026, urbplex developers"
release = version = urbplex.__version__

extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinx.ext.mathjax", "sphinx.ext.napoleon",
              "sphinx_gallery.gen_gallery"]
# The gallery: every examples/gallery/plot_*.py runs at build time and its figures are kept.
sphinx_gallery_conf = {
    "examples_dirs": "../examples/gallery",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
    "abort_on_example_error": True,
    "matplotlib_animations": False,
    "image_scrapers": ("matplotlib",),
    "min_reported_time": 1,
}
# numpydoc-style sections (Parameters, Returns, Examples) in docstrings
napoleon_numpy_docstring = True
napoleon_google_docstring = False
napoleon_use_param = False  # one "Parameters" field list, types not cross-referenced
napoleon_use_rtype = False
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "gen_api.py", "auto_examples/*.ipynb", "auto_examples/*.py", "auto_examples/*.zip", "auto_examples/*.json"]
myst_heading_anchors = 3
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_preserve_defaults = True
html_theme = "alabaster"
html_title = f"urbplex {release}"
nitpicky = False
