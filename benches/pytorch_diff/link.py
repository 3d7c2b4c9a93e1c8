#!/usr/bin/env python3
"""Decode link fragments with the app: python3 link.py 'scheduler=...' [...]"""
import json, os, subprocess, sys, tempfile
_HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(_HERE))
EXE = os.path.join(ROOT, "target", "release", "examples", "pytorch_diff")
cases = [{"id": i, "kind": "link", "fragment": f} for i, f in enumerate(sys.argv[1:])]
with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
    json.dump(cases, f)
exe = EXE
for r in json.loads(subprocess.run([exe, f.name], capture_output=True, text=True, check=True).stdout):
    print(json.dumps(r, indent=1))
