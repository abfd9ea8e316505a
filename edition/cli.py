"""The command line: ``edition build|convert|check|render|validate|review|serve|init``; the only module that prints.

Every failure reaches the user as located diagnostics on stderr and a non-zero
exit code (1: the input has errors; 2: the command line is wrong; 70: a bug in
edition); a traceback only with ``--debug``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from edition import __version__
from edition.diagnostics import Diagnostic, EditionError, format_report
from edition.progress import Bars

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 70


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        warnings: list[Diagnostic] = args.run(args)
    except _Exit as done:  # the command has reported for itself
        return done.code
    except EditionError as failure:
        _print(failure.diagnostics)
        count = sum(1 for d in failure.diagnostics if d.is_error)
        print(
            f"edition: {count} error{'s' if count != 1 else ''}; nothing was written",
            file=sys.stderr,
        )
        return EXIT_ERRORS
    except KeyboardInterrupt:
        print("edition: interrupted; the previous output is untouched", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: say so plainly, never a raw traceback
        if args.debug:
            traceback.print_exc()
        print(f"edition: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print(
            "This is a bug in edition; run again with --debug and report the traceback.",
            file=sys.stderr,
        )
        return EXIT_BUG
    _print(warnings)
    if args.strict and warnings:
        print("edition: warnings are errors under --strict", file=sys.stderr)
        return EXIT_ERRORS
    return EXIT_OK


def run() -> None:
    """The ``edition`` command: `main`, then out at once.

    Once the command has said everything, nothing is left to do but give the memory
    back, and Python would free a big build's objects one by one first — 0.1 s at
    10,000 documents. Files are closed by then (every file of the build is written
    under ``with``; the caches' SQLite commits are durable when made).
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        # A closed pipe (``edition review | head``) leaves nothing to say it on.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


class _Exit(Exception):
    """Raised by a command that has printed its own report and ends with ``code``."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def _print(diagnostics: Sequence[Diagnostic]) -> None:
    for line in format_report(diagnostics):
        print(line, file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="edition", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"edition {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", help="show a traceback on internal errors")
    common.add_argument("--strict", action="store_true", help="treat warnings as errors")
    work = argparse.ArgumentParser(add_help=False)
    work.add_argument(
        "--jobs",
        type=int,
        default=0,
        metavar="N",
        help="worker processes for the per-document work (default: all cores)",
    )
    work.add_argument(
        "--no-cache",
        action="store_true",
        help="convert every document again, even those whose inputs did not change",
    )
    work.add_argument(
        "--scheduler",
        default="",
        metavar="ADDRESS",
        help="run the per-document work on a Dask cluster: tcp://HOST:PORT, or 'local' "
        "(needs the dask extra)",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    build = commands.add_parser(
        "build", parents=[common, work], help="sources → OUT/tei and OUT/site"
    )
    build.add_argument(
        "sources",
        type=Path,
        nargs="?",
        default=Path("sources"),
        help="the sources folder (default: sources)",
    )
    build.add_argument(
        "--out", type=Path, default=Path("build"), help="output folder (default: build)"
    )
    build.add_argument("--no-validate", action="store_true", help="skip the tei_all check (faster)")
    build.add_argument("--no-search", action="store_true", help="build no search index")
    build.set_defaults(run=_build, site=True)

    convert = commands.add_parser("convert", parents=[common, work], help="sources → OUT/tei only")
    convert.add_argument("sources", type=Path, nargs="?", default=Path("sources"))
    convert.add_argument("--out", type=Path, default=Path("build"))
    convert.add_argument("--no-validate", action="store_true")
    convert.set_defaults(run=_build, site=False, no_search=True)

    render = commands.add_parser("render", parents=[common], help="TEI files → a site")
    render.add_argument("tei", type=Path, nargs="+", help="TEI files or folders of them")
    render.add_argument("--sources", type=Path, help="a sources folder whose edition.yaml to use")
    render.add_argument("--out", type=Path, default=Path("build/site"))
    render.add_argument("--no-search", action="store_true", help="build no search index")
    render.set_defaults(run=_render)

    validate = commands.add_parser(
        "validate",
        parents=[common],
        help="check TEI files: well-formed, safe, valid against tei_all, the edition's rules",
    )
    validate.add_argument("tei", type=Path, nargs="+", help="TEI files or folders of them")
    validate.add_argument(
        "--format", choices=("text", "json"), default="text",
        help="text (file:line:col: message [code]) on stderr, or a JSON report on stdout",
    )  # fmt: skip
    validate.set_defaults(run=_validate)

    check = commands.add_parser(
        "check",
        parents=[common],
        help="convert without writing: every error, and every published id that would be lost",
    )
    check.add_argument("sources", type=Path, nargs="?", default=Path("sources"))
    check.set_defaults(run=_check)

    review = commands.add_parser(
        "review", parents=[common], help="list what the machine guessed, for the editor to decide"
    )
    review.add_argument("sources", type=Path, nargs="?", default=Path("sources"))
    review.add_argument(
        "--out",
        type=Path,
        default=Path("review.html"),
        help="the report to open in a browser (default: review.html)",
    )
    review.set_defaults(run=_review)

    package = commands.add_parser(
        "package", parents=[common],
        help="build the edition into a BagIt bag for an archive (or --verify one)",
    )  # fmt: skip
    package.add_argument("sources", type=Path, nargs="?", default=Path("sources"))
    package.add_argument("--out", type=Path, default=Path("edition-bag"), help="the bag folder")
    package.add_argument(
        "--verify", type=Path, metavar="BAG", help="check a bag's files against its manifests"
    )
    package.set_defaults(run=_package)

    serve = commands.add_parser(
        "serve", parents=[common, work],
        help="build, serve the site on 127.0.0.1, rebuild and reload the page on every save",
    )  # fmt: skip
    serve.add_argument("sources", type=Path, nargs="?", default=Path("sources"))
    serve.add_argument("--out", type=Path, default=Path("build"), help="output folder (default: build)")
    serve.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000; 0: any free)")
    serve.add_argument("--no-validate", action="store_true", help="skip the tei_all check (faster)")
    serve.add_argument("--no-search", action="store_true", help="build no search index")
    serve.set_defaults(run=_serve)

    init = commands.add_parser("init", parents=[common], help="create a new sources folder")
    init.add_argument("folder", type=Path)
    init.set_defaults(run=_init)
    return parser


def _build(args: argparse.Namespace) -> list[Diagnostic]:
    from edition.pipeline import BuildOptions, build_edition, display_path

    options = BuildOptions(args.sources, args.out, site=args.site, validate=not args.no_validate,
                           jobs=args.jobs, cache=not args.no_cache, search=not args.no_search,
                           scheduler=args.scheduler)  # fmt: skip
    result = build_edition(options, progress=Bars())
    what = "tei/ and site/" if args.site else "tei/"
    print(
        f"edition: built {len(result.converted) + len(result.imported)} documents into "
        f"{display_path(args.out)}/ ({what})",
        file=sys.stderr,
    )
    return result.diagnostics


def _render(args: argparse.Namespace) -> list[Diagnostic]:
    from edition.atomic import replace_dir, staging_dir
    from edition.config import EditionConfig
    from edition.diagnostics import Diagnostics
    from edition.outlock import building
    from edition.pipeline import configure
    from edition.render import render_site

    report = Diagnostics()
    config = (
        configure(args.sources, report)[0] if args.sources else EditionConfig(title="TEI edition")
    )
    report.raise_if_errors()
    # The folder holding OUT is what a build's lock stands for (its tei/ and site/): a render
    # into a build's site/ takes turns with the build.
    with building(args.out.parent, _progress):
        stage = staging_dir(args.out)
        try:
            report.extend(render_site(_tei_files(args.tei), config, stage, search=not args.no_search))
        except BaseException:
            import shutil

            shutil.rmtree(stage, ignore_errors=True)
            raise
        replace_dir(stage, args.out)
    return report.warnings


def _check(args: argparse.Namespace) -> list[Diagnostic]:
    from edition.pipeline import BuildOptions, build_edition

    options = BuildOptions(args.sources, args.sources, site=False, validate=False, publish=False)
    result = build_edition(options, progress=Bars())
    print(
        f"edition: {len(result.converted)} documents convert; every published id resolves",
        file=sys.stderr,
    )
    return result.diagnostics


def _validate(args: argparse.Namespace) -> list[Diagnostic]:
    """Report every problem (errors in full, warnings grouped); exit 1 when there are errors."""
    import json

    from edition.pipeline import display_path
    from edition.validate import check_files, report_json

    files = _tei_files(args.tei)
    problems = check_files(files, display_path, jobs=0)  # all cores
    errors = sum(1 for d in problems if d.is_error)
    failed = bool(errors) or (args.strict and bool(problems))
    if args.format == "json":
        print(json.dumps(report_json([display_path(f) for f in files], problems), indent=2))
    else:
        _print(problems)
        warned = len(problems) - errors
        print(
            f"edition: {len(files)} files checked: {errors} error{'s' if errors != 1 else ''}, "
            f"{warned} warning{'s' if warned != 1 else ''}",
            file=sys.stderr,
        )
    if failed:
        raise _Exit(EXIT_ERRORS)
    return []


def _review(args: argparse.Namespace) -> list[Diagnostic]:
    import os

    from edition.pipeline import display_path
    from edition.review import html_report, review_edition, table

    review, warnings = review_edition(args.sources)
    for line in table(review.groups, review.documents):
        print(line)
    partial = args.out.with_name(f".{args.out.name}.partial")
    partial.write_text(html_report(review.groups, review.title, review.documents), encoding="utf-8")
    os.replace(partial, args.out)  # the editor never opens a half-written report
    print(f"edition: review written to {display_path(args.out)}", file=sys.stderr)
    return warnings


def _package(args: argparse.Namespace) -> list[Diagnostic]:
    from edition.package import package_edition, verify_bag
    from edition.pipeline import display_path

    if args.verify is not None:
        shown = display_path(args.verify)
        try:
            verify_bag(args.verify, shown)
        except EditionError as invalid:
            _print(invalid.diagnostics)
            print(f"edition: {shown} does not verify", file=sys.stderr)
            raise _Exit(EXIT_ERRORS) from None
        print(f"edition: {shown} is a complete, valid bag", file=sys.stderr)
        return []
    warnings = package_edition(args.sources, args.out, progress=_progress)
    print(f"edition: bag written to {display_path(args.out)}/", file=sys.stderr)
    return warnings


def _serve(args: argparse.Namespace) -> list[Diagnostic]:
    from edition.pipeline import BuildOptions, display_path
    from edition.render.pages import template_dir
    from edition.serve import Builds, Preview
    builds = Builds(BuildOptions(args.sources, args.out, validate=not args.no_validate, jobs=args.jobs,
                                 cache=not args.no_cache, search=not args.no_search, resident=True))  # fmt: skip

    def say(message: str) -> None:
        print(f"edition: {message}", file=sys.stderr, flush=True)

    preview = Preview(args.sources, args.out, builds.build, port=args.port, watched=(template_dir(),),
                      on_event=say, on_warnings=_print, catch_up=builds.catch_up,
                      behind=lambda: builds.behind)  # fmt: skip
    try:
        url = preview.start()
    except OSError as exc:
        say(f"cannot serve on 127.0.0.1:{args.port}: {exc.strerror}; try --port 0")
        raise _Exit(EXIT_ERRORS) from None
    if preview.status.errors:
        for line in preview.status.errors:
            print(line, file=sys.stderr)
    say(f"serving {display_path(args.out)}/site at {url}index.html; watching "
        f"{display_path(args.sources)}/ and the templates; Ctrl+C stops")  # fmt: skip
    try:
        preview.watch()
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop()
    say("stopped")
    return []


def _init(args: argparse.Namespace) -> list[Diagnostic]:
    from edition.scaffold import init_edition

    created = init_edition(args.folder)
    print(
        f"edition: created {len(created)} files in {args.folder}/; "
        f"build it with: edition build {args.folder} --out build",
        file=sys.stderr,
    )
    return []


def _tei_files(paths: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.xml")) if path.is_dir() else [path])
    return files


def _progress(message: str) -> None:
    if sys.stderr.isatty():
        print(f"edition: {message} …", file=sys.stderr)
