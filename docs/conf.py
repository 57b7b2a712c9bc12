"""Sphinx configuration of the urbplex documentation site (./scripts/docs.sh)."""
import urbplex

project = "urbplex"
author = "urbplex developers"
copyright = "2026, urbplex developers"
release = version = urbplex.__version__

extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinx.ext.mathjax", "sphinx.ext.napoleon"]
# numpydoc-style sections (Parameters, Returns, Examples) in docstrings
napoleon_numpy_docstring = True
napoleon_google_docstring = False
napoleon_use_param = False  # one "Parameters" field list, types not cross-referenced
napoleon_use_rtype = False
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "gen_api.py"]
myst_heading_anchors = 3
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_preserve_defaults = True
html_theme = "alabaster"
html_title = f"urbplex {release}"
nitpicky = False
