"""Run every benchmark script in bench/ in turn (each in its own process and database)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    scripts = sorted(path for path in HERE.glob("*.py") if path.name not in ("common.py", "run.py"))
    failed = [
        script.name for script in scripts if subprocess.run([sys.executable, script], cwd=HERE).returncode
    ]
    sys.exit(f"failed: {', '.join(failed)}" if failed else 0)
