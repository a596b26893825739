"""Where things live in the repository; the one place that knows the layout."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS_DIR = ROOT / "docs"
DATA_DIR = ROOT / "data"
CONSENT_FILE = DATA_DIR / "consent.yml"
# Node packages (node_modules/: decap-server, the browser test tools) and the code the site ships
# from pinned tarballs (vendor/: the web editor, see msme.vendor)
TOOLS = ROOT / "tools"
VENDOR = TOOLS / "vendor"
