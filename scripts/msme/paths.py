"""Where things live in the repository; the one place that knows the layout."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS_DIR = ROOT / "docs"
DATA_DIR = ROOT / "data"
CONSENT_FILE = DATA_DIR / "consent.yml"
TOOLS = ROOT / "tools" / "node_modules"  # Node packages: the web editor, the browser test tools
