"""Execute every chapter notebook with papermill and write an HTML index.

Used by ``make run``. Notebooks run in order, top to bottom, in a fresh kernel
of the current environment, on the bundled data (their ``parameters`` cells'
defaults, overridable with ``-p NAME VALUE``). Executed copies go to
``build/notebooks/``, HTML renderings to ``build/html/`` and a table of
contents with timings to ``build/index.html``, and the text outputs of cells tagged ``NBVAL_CHECK_OUTPUT``
(the chapters' key results) to ``build/results.json``, so two runs can be
compared byte for byte. The first failure stops the
run and names the notebook and the cell.

Usage::

    python tools/run_notebooks.py                 # all notebooks/*.ipynb
    python tools/run_notebooks.py notebooks/03_*.ipynb -p DISCOUNT_RATE 0.08
"""

from __future__ import annotations

import argparse
import ast
import html
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build"


def _title(nb_path: Path) -> str:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            for line in "".join(cell.get("source", "")).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return nb_path.stem


def _parse_value(text: str):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def _failed_cell(nb_path: Path) -> str:
    """Describe the first cell with an error output in an executed notebook."""
    try:
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "unknown cell"
    code_no = 0
    for i, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        code_no += 1
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                first = "".join(cell.get("source", "")).strip().splitlines()[:1]
                return (
                    f"cell {i} (code cell {code_no}: {first[0][:70] if first else ''!r}): "
                    f"{out.get('ename')}: {out.get('evalue')}"
                )
    return "unknown cell"


RESULT_TAGS = {"NBVAL_CHECK_OUTPUT", "result"}


def _tagged_results(nb_path: Path) -> list[dict]:
    """Text outputs of the cells tagged as results (the chapter's key numbers)."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    results = []
    for i, cell in enumerate(nb.get("cells", [])):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if cell.get("cell_type") != "code" or not tags & RESULT_TAGS:
            continue
        texts = []
        for out in cell.get("outputs", []):
            if "text" in out:
                texts.append("".join(out["text"]))
            elif "text/plain" in out.get("data", {}):
                texts.append("".join(out["data"]["text/plain"]))
        results.append({"cell": i, "output": "".join(texts)})
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                        metavar=("NAME", "VALUE"), help="papermill parameter for every notebook")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    parser.add_argument("--no-html", action="store_true", help="skip the HTML renderings")
    parser.add_argument("--build-dir", type=Path, default=BUILD, help="output folder (default build/)")
    args = parser.parse_args(argv)
    build = args.build_dir.resolve()
    if build != BUILD and BUILD not in build.parents:
        parser.error("--build-dir must be build/ or a folder inside it (nothing is written elsewhere)")

    import papermill as pm
    from nbconvert import HTMLExporter

    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        print("no notebooks found in notebooks/", file=sys.stderr)
        return 1
    params = {name: _parse_value(value) for name, value in args.parameter}
    (build / "notebooks").mkdir(parents=True, exist_ok=True)
    (build / "html").mkdir(parents=True, exist_ok=True)
    rows = []
    results: dict[str, list[dict]] = {}
    total = time.perf_counter()
    for path in paths:
        path = path.resolve()
        out = build / "notebooks" / path.name
        print(f"[run] {path.relative_to(ROOT)} ...", flush=True)
        start = time.perf_counter()
        try:
            pm.execute_notebook(
                str(path),
                str(out),
                parameters=params,
                cwd=str(path.parent),
                kernel_name="python3",
                progress_bar=False,
                execution_timeout=args.timeout,
                report_mode=False,
            )
        except Exception as exc:  # papermill raises PapermillExecutionError and others
            where = _failed_cell(out)
            print(
                f"\nFAILED: {path.relative_to(ROOT)} at {where}\n"
                f"  ({type(exc).__name__}; executed copy with the traceback: "
                f"{out.relative_to(ROOT)})",
                file=sys.stderr,
            )
            return 1
        seconds = time.perf_counter() - start
        print(f"[ok]  {path.name} in {seconds:.1f} s", flush=True)
        html_name = path.with_suffix(".html").name
        if not args.no_html:
            body, _ = HTMLExporter().from_filename(str(out))
            (build / "html" / html_name).write_text(body, encoding="utf-8")
        rows.append((path.stem, _title(path), seconds, html_name))
        results[path.name] = _tagged_results(out)

    items = "\n".join(
        f'<tr><td><a href="html/{html.escape(h)}">{html.escape(stem)}</a></td>'
        f"<td>{html.escape(title)}</td><td>{sec:.1f}</td></tr>"
        for stem, title, sec, h in rows
    )
    (build / "index.html").write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>crm-notebooks</title>"
        "<style>body{font-family:sans-serif;max-width:50em;margin:2em auto}"
        "td,th{padding:.3em .8em;text-align:left}</style></head><body>"
        "<h1>crm-notebooks: executed chapters</h1>"
        "<table><tr><th>notebook</th><th>title</th><th>seconds</th></tr>"
        f"{items}</table></body></html>\n",
        encoding="utf-8",
    )
    (build / "results.json").write_text(
        json.dumps(results, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"\n{len(rows)} notebooks executed in {time.perf_counter() - total:.1f} s; "
          f"see {(build / 'index.html').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
