"""Preview an edition while it is edited: build it, serve the site on loopback, rebuild on save.

``edition serve SOURCES`` builds once, then serves ``OUT/site`` at ``http://127.0.0.1:PORT/``
and watches the sources folder (texts, TEI, the YAML registers) and the templates with
``watchfiles``. Each batch of saves rebuilds the edition — the conversion cache skips the
documents whose inputs did not change — and the page in the browser reloads itself: the
server adds to every HTML page it sends a small script that asks ``/__edition__/status``
twice a second for the build number. A build that fails leaves the previous site up and the
script shows its errors over the page. Only what this server sends has the script: the
files on disk, and so the published site, stay free of JavaScript. The search index is not
waited for (`Builds`): a save's rebuild leaves the shard holding the change as it was, and
the preview indexes it, in a thread, once the sources have been quiet for half a second; a
save meanwhile stops that (at its next step, Pagefind's runs killed, nothing published) and
is built first.

The server binds the loopback address only: it is for the editor, not for the network.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from edition.diagnostics import Diagnostic, EditionError, format_report
from edition.pipeline import PUBLISHING, BuildOptions, build_edition
from edition.progress import Progress
from edition.render.search import IndexingStopped, allow_indexing, indexing_stopped, stop_indexing

HOST = "127.0.0.1"
STATUS_PATH = "/__edition__/status"
POLL_MS = 500
# Served at RELOAD_PATH and named before </body> of every page the preview server sends
# (never written to disk): a file, not inline, since the pages' CSP forbids inline scripts.
RELOAD_PATH = "/__edition__/reload.js"
RELOAD_TAG = f'<script src="{RELOAD_PATH}"></script>'
RELOAD_SCRIPT = (
    "/* edition serve: reload when the edition is rebuilt */(function(){"
    "var seen=null,box=null;"
    "function show(errors){if(!errors.length){if(box){box.remove();box=null;}return;}"
    "if(!box){box=document.createElement('pre');box.id='ed-serve-errors';box.setAttribute('role','alert');"
    "box.style.cssText='position:fixed;left:0;right:0;bottom:0;max-height:40vh;overflow:auto;margin:0;"
    "padding:1em;background:#fff3f3;color:#600;border-top:3px solid #b00;font:13px/1.4 monospace;"
    "white-space:pre-wrap;z-index:9999';document.body.appendChild(box);}"
    "box.textContent='The last build failed; this is the previous version.\\n\\n'+errors.join('\\n');}"
    "function poll(){fetch('" + STATUS_PATH + "',{cache:'no-store'}).then(function(r){return r.json();})"
    ".then(function(s){if(seen===null){seen=s.build;}else if(s.build!==seen){location.reload();return;}"
    "show(s.errors);}).catch(function(){}).then(function(){setTimeout(poll," + str(POLL_MS) + ");});}"
    "poll();})();"
)


@dataclass(frozen=True)
class Status:
    """The preview's state: how many builds succeeded, and the last failure's errors."""

    build: int = 0
    errors: tuple[str, ...] = ()


@dataclass
class Preview:
    """A built edition being served and watched; `run` blocks until `stop` (or Ctrl+C)."""

    sources: Path
    out: Path
    build: Callable[[], list[Diagnostic]]  # builds sources into out/site, raising EditionError
    port: int = 8000
    watched: tuple[Path, ...] = ()  # besides the sources folder: the templates
    on_event: Callable[[str], None] = lambda _: None
    on_warnings: Callable[[list[Diagnostic]], None] = lambda _: None
    # What a build put off (the search index), done while no source changes: None when nothing was.
    catch_up: Callable[[], list[Diagnostic] | None] = lambda: None
    behind: Callable[[], bool] = lambda: False  # whether there is something to catch up
    status: Status = Status()
    _stop: threading.Event = field(default_factory=threading.Event)
    _server: ThreadingHTTPServer | None = None
    _catching_up: threading.Thread | None = None
    _built_from: float = 0.0  # the clock when the last build began (file times compare to it)

    @property
    def url(self) -> str:
        assert self._server is not None, "start() first"
        return f"http://{HOST}:{self._server.server_address[1]}/"

    def start(self) -> str:
        """Build once and start serving (in a thread); return the site's address."""
        self.rebuild("")
        (self.out / "site").mkdir(parents=True, exist_ok=True)
        handler = partial(_Handler, preview=self, directory=str(self.out / "site"))
        self._server = ThreadingHTTPServer((HOST, self.port), handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self.url

    def rebuild(self, why: str) -> None:
        """Build again; on success the pages reload, on failure they show the errors."""
        start = time.perf_counter()
        self._built_from = time.time()
        try:
            warnings = self.build()
        except EditionError as failure:
            self.status = replace(self.status, errors=tuple(format_report(failure.diagnostics)))
            self.on_event(f"build failed ({why or 'first build'}); serving the previous site")
            return
        self.status = Status(self.status.build + 1, ())
        self.on_warnings(warnings)
        seconds = time.perf_counter() - start
        self.on_event(f"rebuilt in {seconds:.1f} s ({why})" if why else f"built in {seconds:.1f} s")

    def finish(self) -> None:
        """Start doing what the last build put off, if anything, in a thread of its own: a save
        meanwhile stops it (`interrupt`). The pages stay as they are (no reload)."""
        if self.behind() and (self._catching_up is None or not self._catching_up.is_alive()):
            self._catching_up = threading.Thread(target=self._finish, daemon=True)
            self._catching_up.start()

    def _finish(self) -> None:
        start = time.perf_counter()
        try:
            done = self.catch_up()
        except IndexingStopped:
            self.on_event("search index update stopped by a save; it starts again once saves pause")
            return
        except EditionError as failure:
            self.status = replace(self.status, errors=tuple(format_report(failure.diagnostics)))
            self.on_event("updating the search index failed; serving the previous one")
            return
        if done is not None:
            self.on_event(f"search index updated in {time.perf_counter() - start:.1f} s")

    def interrupt(self) -> None:
        """Stop a catch-up under way (its Pagefind runs ended, nothing published) and wait for it."""
        thread = self._catching_up
        if thread is not None and thread.is_alive():
            stop_indexing()
            thread.join()
            allow_indexing()

    def watch(self) -> None:
        """Rebuild after each batch of changes until `stop`."""
        from watchfiles import DefaultFilter, watch

        out = self.out.resolve()

        class Sources(DefaultFilter):
            """The edition's inputs: not the build's output, nor the lock it writes back."""

            def __call__(self, change: Any, path: str) -> bool:
                where = Path(path).resolve()
                if where == out or out in where.parents or where.name == "anchors.lock":
                    return False
                if where.name.startswith("."):  # hidden: the lock's partial file, editors' swaps
                    return False
                return bool(super().__call__(change, path))

        folders = [p for p in (self.sources, *self.watched) if p.is_dir()]
        wanted = Sources()
        started = False
        for changes in watch(*folders, watch_filter=wanted, stop_event=self._stop, debounce=300,
                             step=50, rust_timeout=500, yield_on_timeout=True,
                             raise_interrupt=False):  # fmt: skip
            if not changes:
                if not started:  # the watcher is up: catch saves made before it was
                    started = True
                    if _saved_since(folders, self._built_from, wanted):
                        self.interrupt()
                        self.rebuild("saved during the build")
                        continue
                self.finish()  # quiet for half a second: no save is waiting for it
                continue
            names = sorted({Path(path).name for _, path in changes})
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            self.interrupt()  # one build at a time: this save's first, the catch-up after
            self.rebuild(f"{shown} changed")

    def stop(self) -> None:
        self.interrupt()
        self._stop.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


def _saved_since(folders: list[Path], moment: float, wanted: Any) -> bool:
    """Whether a file the watcher would report was changed after ``moment``."""
    for folder in folders:
        for path in folder.rglob("*"):
            try:
                if path.is_file() and path.stat().st_mtime >= moment and wanted(None, str(path)):
                    return True
            except OSError:
                continue
    return False


class _Handler(SimpleHTTPRequestHandler):
    """Serve the site's files; HTML with the reload script, never cached; the status as JSON."""

    def __init__(self, *args: Any, preview: Preview, **kwargs: Any) -> None:
        self.preview = preview
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path == STATUS_PATH:
            status = self.preview.status
            self._send(json.dumps({"build": status.build, "errors": list(status.errors)}).encode(),
                       "application/json")  # fmt: skip
            return
        if path == RELOAD_PATH:
            self._send(RELOAD_SCRIPT.encode(), "text/javascript; charset=utf-8")
            return
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            page = target.read_bytes()
            at = page.rfind(b"</body>")
            page = page[:at] + RELOAD_TAG.encode() + page[at:] if at >= 0 else page
            self._send(page, "text/html; charset=utf-8")
            return
        super().do_GET()

    def _send(self, body: bytes, media_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # a reload always gets the new build
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # requests are not news; builds are


class Builds:
    """A preview's builds: on each save the site, with the shards of the search index that
    hold a change left as they were (`BuildOptions.search_later`: Pagefind takes ~1.2 s a shard
    of 500 documents, the rest of a save's rebuild 0.2–0.3 s at 1,000); those shards indexed by the
    next `catch_up`, which `Preview` runs once the sources are quiet."""

    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        self.behind = False  # the last build left a shard to index

    def build(self) -> list[Diagnostic]:
        self.behind = False  # a failed build leaves nothing to catch up: it would fail again
        result = build_edition(replace(self.options, search_later=self.options.search))
        self.behind = result.search_behind
        return result.diagnostics

    def catch_up(self) -> list[Diagnostic] | None:
        """Build with every shard indexed, if the last build left one behind; else None. Raises
        `IndexingStopped` when `stop_indexing` ends it: still behind, then."""
        if not self.behind:
            return None
        self.behind = False
        try:
            return build_edition(self.options, Stoppable()).diagnostics
        except IndexingStopped:
            self.behind = True
            raise


class Stoppable(Progress):
    """A catch-up's progress: at each stage and step before publishing, it raises
    `IndexingStopped` once `stop_indexing` asks — a save does not wait for a whole build
    (the part before Pagefind took up to 1.7 s at 10,000 documents)."""

    def stage(self, message: str, total: int = 0) -> None:
        if message != PUBLISHING:
            self.advance()

    def advance(self, steps: int = 1) -> None:
        if indexing_stopped():
            raise IndexingStopped()
