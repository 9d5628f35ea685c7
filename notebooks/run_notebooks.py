#!/usr/bin/env python3
"""Checks and executes FastGN's notebooks (notebooks/NN-*.ipynb).

Two jobs, both used by the tests (`mvn -B verify`, through notebooks/run-notebooks.sh):

``--check``  the outputs policy and the portable-notebook rules, on the committed files, with the
             standard library only:
             * every code cell is cleared (no outputs, execution_count null);
             * kernelspec name "java" and language "java", language_info name "java";
             * the first cell is a markdown title ("# ...");
             * the only magic is ``%jars ./relative/path.jar``: one jar per line, relative to the
               notebook, no globs, no directories (no %maven, %dependency, %classpath, cell magics);
             * no cell ends with a bare ``display(...)`` (assign the id: kernels print it otherwise);
             * the "figure" tag is on code cells only.

(default)    the check above, then every notebook executed on the Jupyter kernel named "java"
             with nbclient (Debian's python3-nbclient). A notebook fails on
             * any ``error`` output (a compile error or an exception) or a cell timeout;
             * any ``stderr`` stream output, unless the cell is tagged "stderr-ok" (the library
               never prints, so text on stderr means something went wrong);
             * a cell tagged "figure" without a valid ``image/png`` output.
             A kernel that does not answer at start-up is retried (a known race in
             rapaio-jupyter-kernel 3.0.1); nothing else is. The executed copies and each kernel's
             log go to --out; the committed notebooks are never rewritten.

The notebooks read FASTGN_PRESET (tiny, quick or full; default full); this script sets it from
--preset (default: FASTGN_PRESET, else tiny). The kernel inherits the environment.
"""
import argparse
import atexit
import base64
import copy
import glob
import json
import os
import re
import struct
import sys
import time

KERNEL_NAME = "java"
NOTEBOOK_GLOB = "[0-9][0-9]-*.ipynb"
NAME = re.compile(r"^[0-9]{2}-[a-z0-9]+(-[a-z0-9]+)*\.ipynb$")
STARTUP_FAILURES = ("Kernel didn't respond", "Kernel died before replying to kernel_info")
JARS_LINE = re.compile(r"^%jars[ \t]+(\S+)[ \t]*$")
BARE_DISPLAY = re.compile(r"^\s*display\s*\(.*\)\s*;?\s*$")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def notebooks_in(directory):
    return sorted(glob.glob(os.path.join(directory, NOTEBOOK_GLOB)))


def source_of(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def tags_of(cell):
    return cell.get("metadata", {}).get("tags", [])


def jar_paths(nb):
    """The jar paths of every %jars line, in order."""
    paths = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        for line in source_of(cell).splitlines():
            m = JARS_LINE.match(line.strip())
            if m:
                paths.append(m.group(1))
    return paths


# ------------------------------------------------------------------------------------ the policy

def check_policy(path):
    """The list of policy violations of one committed notebook (empty when it complies)."""
    name = os.path.basename(path)
    try:
        with open(path, encoding="utf-8") as f:
            nb = json.load(f)
    except (OSError, ValueError) as e:
        return ["%s: not readable as JSON: %s" % (name, e)]
    problems = []

    def problem(msg):
        problems.append("%s: %s" % (name, msg))

    if nb.get("nbformat") != 4:
        problem("nbformat must be 4, found %r" % nb.get("nbformat"))
    meta = nb.get("metadata", {})
    spec = meta.get("kernelspec", {})
    if spec.get("name") != KERNEL_NAME or spec.get("language") != "java":
        problem('metadata.kernelspec must have name "java" and language "java", found %r' % spec)
    if meta.get("language_info", {}).get("name") != "java":
        problem('metadata.language_info.name must be "java"')
    cells = nb.get("cells", [])
    if not cells or cells[0].get("cell_type") != "markdown" or not source_of(cells[0]).lstrip().startswith("# "):
        problem('the first cell must be a markdown title ("# ...")')
    if not any(c.get("cell_type") == "code" for c in cells):
        problem("there is no code cell")

    for i, cell in enumerate(cells, start=1):
        kind = cell.get("cell_type")
        src = source_of(cell)
        if "figure" in tags_of(cell) and kind != "code":
            problem('cell %d: the "figure" tag is only for code cells' % i)
        if kind != "code":
            continue
        if cell.get("outputs"):
            problem("cell %d: has outputs; commit notebooks cleared (see notebooks/README.md)" % i)
        if cell.get("execution_count") is not None:
            problem("cell %d: execution_count must be null in a committed notebook" % i)
        for line in src.splitlines():
            stripped = line.strip()
            if not stripped.startswith("%"):
                continue
            m = JARS_LINE.match(stripped)
            if not m:
                problem("cell %d: magic %r is not portable; the only magic allowed is "
                        "'%%jars ./relative/path.jar' (one jar per line)" % (i, stripped))
                continue
            jar = m.group(1)
            if (jar.startswith("/") or jar.startswith("~") or re.match(r"^[A-Za-z]:", jar)
                    or any(ch in jar for ch in "*?[") or not jar.endswith(".jar")):
                problem("cell %d: %r must name one jar file by a path relative to the notebook "
                        "(no absolute paths, globs or directories)" % (i, stripped))
        code_lines = [l for l in src.splitlines() if l.strip() and not l.strip().startswith("//")]
        if code_lines and BARE_DISPLAY.match(code_lines[-1]):
            problem("cell %d: ends with a bare display(...); assign the id (String id = display(...);) "
                    "or return the object itself, otherwise kernels print the display id" % i)
    return problems


def clear_outputs(path):
    """Empties outputs and execution counts in place (what the policy wants committed)."""
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    with open(path, "w", encoding="utf-8") as f:
        json.dump(nb, f, indent=1, ensure_ascii=False, sort_keys=True)
        f.write("\n")


# ------------------------------------------------------------------------------------ execution

def png_size(b64):
    """(width, height) of a base64 PNG, or None if it is not a PNG."""
    try:
        raw = base64.b64decode(b64 if isinstance(b64, str) else "".join(b64))
    except (ValueError, TypeError):
        return None
    if len(raw) < 24 or not raw.startswith(PNG_SIGNATURE) or raw[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", raw[16:24])


def inspect_outputs(nb, name):
    """(problems, number of figures) of an executed notebook."""
    problems = []
    figures = 0
    for i, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        tags = tags_of(cell)
        pngs = []
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "error":
                detail = out.get("evalue") or " / ".join(
                    l.strip() for l in ANSI.sub("", "\n".join(out.get("traceback", []))).splitlines() if l.strip())
                problems.append("%s cell %d: %s: %s" % (name, i, out.get("ename"), detail[:500]))
            elif kind == "stream" and out.get("name") == "stderr" and "stderr-ok" not in tags:
                problems.append("%s cell %d: wrote to stderr: %s" % (name, i, out.get("text", "")[:300].strip()))
            elif kind in ("display_data", "execute_result") and "image/png" in out.get("data", {}):
                size = png_size(out["data"]["image/png"])
                if size is None or size[0] < 1 or size[1] < 1:
                    problems.append("%s cell %d: an image/png output is not a valid PNG" % (name, i))
                else:
                    pngs.append(size)
        if "figure" in tags:
            if pngs:
                figures += 1
            else:
                problems.append('%s cell %d: tagged "figure" but produced no image/png output' % (name, i))
    return problems, figures


def executed_cells(nb):
    return sum(1 for c in nb.cells if c.cell_type == "code" and c.get("execution_count") is not None)


def execute(path, out_dir, timeout, startup_timeout, attempts, kernel_name=KERNEL_NAME):
    """Runs one notebook; returns a result dict."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    name = os.path.basename(path)
    stem = name[:-len(".ipynb")]
    nb_dir = os.path.dirname(os.path.abspath(path))
    original = nbformat.read(path, as_version=4)
    result = {"name": name, "attempts": 0, "seconds": 0.0, "figures": 0, "problems": []}

    missing = [j for j in jar_paths(original) if not os.path.isfile(os.path.join(nb_dir, j))]
    if missing:
        result["problems"].append("%s: %%jars names missing file(s) %s; build first: mvn -B -DskipTests package"
                                  % (name, ", ".join(missing)))
        return result

    nb = None
    cell_error = None
    for attempt in range(1, attempts + 1):
        result["attempts"] = attempt
        nb = copy.deepcopy(original)
        client = NotebookClient(nb, kernel_name=kernel_name, timeout=timeout, startup_timeout=startup_timeout,
                                allow_errors=False, record_timing=True,
                                resources={"metadata": {"path": nb_dir}})
        log_path = os.path.join(out_dir, "%s.kernel-%d.log" % (stem, attempt))
        start = time.monotonic()
        failure = None
        cell_error = None
        try:
            with open(log_path, "wb") as log:
                client.execute(stdout=log, stderr=log)
        except CellTimeoutError as e:
            failure = "%s: a cell ran longer than %d s: %s" % (name, timeout, str(e).strip().splitlines()[0])
        except CellExecutionError as e:
            # normally reported from the cell's error output below; kept in case there is none
            cell_error = "%s: %s" % (name, str(e).strip()[:500])
        except RuntimeError as e:
            # nbclient 0.7 leaves its exit-time cleanup registered after a failed start; the
            # kernel is already shut down, and the stale hook would fail at interpreter exit
            atexit.unregister(client._cleanup_kernel)
            if executed_cells(nb) == 0 and str(e).startswith(STARTUP_FAILURES) and attempt < attempts:
                print("  %s: the kernel did not answer at start-up (%s); retrying (%d/%d)"
                      % (name, e, attempt + 1, attempts), flush=True)
                continue
            failure = "%s: %s: %s (kernel log: %s)" % (name, type(e).__name__, e, log_path)
        result["seconds"] = time.monotonic() - start
        if failure:
            result["problems"].append(failure)
        break

    if executed_cells(nb) == 0 and result["problems"]:
        return result  # the kernel never ran a cell: nothing to inspect or keep
    problems, figures = inspect_outputs(nb, name)
    result["problems"].extend(problems)
    if cell_error and not problems:
        result["problems"].append(cell_error)
    result["figures"] = figures
    if executed_cells(nb) < sum(1 for c in nb.cells if c.cell_type == "code") and not result["problems"]:
        result["problems"].append("%s: not every code cell was executed" % name)
    nbformat.write(nb, os.path.join(out_dir, name))
    return result


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("notebooks", nargs="*", help="notebooks to run (default: notebooks/%s)" % NOTEBOOK_GLOB)
    p.add_argument("--check", action="store_true", help="only check the committed files (standard library only)")
    p.add_argument("--clear", action="store_true",
                   help="clear the outputs of the given (default: all) notebooks in place, then check them")
    p.add_argument("--out", default=os.path.join(here, "target", "executed"),
                   help="where executed copies and kernel logs go (default: notebooks/target/executed)")
    p.add_argument("--preset", default=os.environ.get("FASTGN_PRESET", "tiny"), choices=["tiny", "quick", "full", "default"],
                   help="FASTGN_PRESET for the notebooks (default: $FASTGN_PRESET, else tiny); "
                        "'default' unsets it, so each notebook runs at its own default preset")
    p.add_argument("--kernel", default=KERNEL_NAME,
                   help='the Jupyter kernel to run them on (default "java", the one the notebooks name; the '
                        'tests also use "java-binder", a one-CPU 512 MB kernel)')
    p.add_argument("--timeout", type=int, default=int(os.environ.get("FASTGN_CELL_TIMEOUT", "300")),
                   help="seconds per cell (default 300, or $FASTGN_CELL_TIMEOUT)")
    p.add_argument("--startup-timeout", type=int, default=20,
                   help="seconds for the kernel to answer at start-up (default 20; it answers in 1-3 s)")
    p.add_argument("--attempts", type=int, default=12,
                   help="kernel starts per notebook (default 12: rapaio 3.0.1 misses one start in four to one in "
                        "three, its kernel up but silent; one CI run of 2026-12-07 took the sixth start of one "
                        "notebook, so six left about 2%% of CI runs red. A miss costs the start-up timeout)")
    args = p.parse_args(argv)

    paths = args.notebooks or notebooks_in(here)
    if not paths:
        print("no notebooks matching %s in %s" % (NOTEBOOK_GLOB, here), file=sys.stderr)
        return 1

    if args.clear:
        for path in paths:
            clear_outputs(path)
            print("cleared " + path)

    problems = []
    if not args.notebooks:
        # a notebook outside the numbering would silently escape the tests
        for path in sorted(glob.glob(os.path.join(here, "*.ipynb"))):
            if not NAME.match(os.path.basename(path)):
                problems.append("%s: notebooks are named NN-title.ipynb (two digits, a dash, lower-case words), "
                                "so that the tests find them" % os.path.basename(path))
    for path in paths:
        problems.extend(check_policy(path))
    if problems:
        print("notebook policy violations:", file=sys.stderr)
        for msg in problems:
            print("  " + msg, file=sys.stderr)
        bad = {m.split(":")[0] for m in problems}
        print("notebook policy: %d passed, %d failed" % (len([p for p in paths if os.path.basename(p) not in bad]),
                                                        len(bad)))
        return 1
    if args.check or args.clear:
        print("notebook policy: %d passed, 0 failed (cleared outputs, kernel java, portable magics)" % len(paths))
        return 0

    if args.preset == "default":
        os.environ.pop("FASTGN_PRESET", None)
    else:
        os.environ["FASTGN_PRESET"] = args.preset
    os.makedirs(args.out, exist_ok=True)
    try:
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    except ImportError as e:
        print("this python (%s) lacks Jupyter's client modules (%s); run notebooks/run-notebooks.sh, which "
              "installs or finds them" % (sys.executable, e), file=sys.stderr)
        return 3
    try:
        spec = KernelSpecManager().get_kernel_spec(args.kernel)
    except NoSuchKernel:
        print('no Jupyter kernel named "%s"; run notebooks/setup-kernel.sh (or install IJava/JJava as "java")'
              % args.kernel, file=sys.stderr)
        return 3
    print('kernel "%s": %s (%s); preset %s; %d notebook(s)'
          % (args.kernel, spec.display_name, spec.resource_dir, args.preset, len(paths)), flush=True)

    results = []
    for path in paths:
        print("running %s ..." % os.path.basename(path), flush=True)
        r = execute(path, args.out, args.timeout, args.startup_timeout, args.attempts, args.kernel)
        results.append(r)
        status = "FAILED" if r["problems"] else "ok"
        print("  %-28s %-6s %6.1f s  %d figure(s)  kernel start attempts: %d"
              % (r["name"], status, r["seconds"], r["figures"], r["attempts"]), flush=True)
        for msg in r["problems"]:
            print("    " + msg, flush=True)
    failed = sum(1 for r in results if r["problems"])
    print("executed copies: %s" % args.out)
    print("notebooks: %d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
