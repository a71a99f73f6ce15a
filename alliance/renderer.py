"""One warm headless browser per process that turns plotly figures into PNG, SVG or PDF (kaleido).

Starting Chromium costs seconds, so it starts on the first image and then stays. Kaleido also
reloads a tab after every image (so nothing leaks from one render into the next) and waits for that
reload before handing the image back: about 0.2 s of every export. Here two tabs take turns and a
tab's reload runs in the background while the other tab renders, so an export pays for its own
render only. kaleido's bundled sync server blocks its event loop between jobs, which would stall
those background reloads, hence this small loop thread of our own.
"""

from __future__ import annotations

import asyncio
import atexit
import threading

import kaleido

TIMEOUT_S = 120


class _EagerKaleido(kaleido.Kaleido):
    """Kaleido that hands an image back before the tab that drew it has finished reloading."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._reloads: set[asyncio.Task] = set()  # strong references until each reload is done

    async def _return_kaleido_tab(self, tab) -> None:  # kaleido 1.5's hook (version pinned in requirements.txt)
        reload = asyncio.create_task(super()._return_kaleido_tab(tab))
        self._reloads.add(reload)
        reload.add_done_callback(self._reloads.discard)


class Renderer:
    """Thread-safe: one image at a time per process, rendered on a loop thread that owns the browser."""

    def __init__(self, tabs: int = 2) -> None:
        self._tabs = tabs
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido: _EagerKaleido | None = None

    def render(self, figure, *, fmt: str, width: int, height: int) -> bytes:
        with self._lock:
            if self._loop is None:
                self._start()
            job = self._kaleido.calc_fig(figure, opts=dict(format=fmt, width=width, height=height))
            return asyncio.run_coroutine_threadsafe(job, self._loop).result(timeout=TIMEOUT_S)

    def _start(self) -> None:
        loop = asyncio.new_event_loop()
        threading.Thread(target=loop.run_forever, name="kaleido", daemon=True).start()
        try:
            self._kaleido = asyncio.run_coroutine_threadsafe(self._open(), loop).result(timeout=TIMEOUT_S)
        except BaseException:
            loop.call_soon_threadsafe(loop.stop)
            raise
        self._loop = loop
        atexit.register(self.close)

    async def _open(self) -> _EagerKaleido:
        browser = _EagerKaleido(n=self._tabs, mathjax=False)
        await browser.open()
        return browser

    def close(self) -> None:
        """Stop the browser (at exit); the next render starts a new one."""
        with self._lock:
            if self._loop is None:
                return
            loop, browser, self._loop, self._kaleido = self._loop, self._kaleido, None, None
            try:
                asyncio.run_coroutine_threadsafe(browser.close(), loop).result(timeout=30)
            finally:
                loop.call_soon_threadsafe(loop.stop)
