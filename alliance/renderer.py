"""One warm headless browser per process that turns plotly figures into PNG, SVG or PDF (kaleido).

Starting Chromium costs seconds, so it starts on the first image and then stays. Kaleido, left to
itself, also reloads its page after every image, so nothing leaks from one render into the next,
and waits for that reload before handing the image back. Both cost time on every export: the
reload itself (about 0.2 s), and a page that is always fresh, so plotly.js runs cold (about 0.1 s).

Here two tabs take turns, and a tab keeps its page for `RELOAD_EVERY` images. The images stay
independent (each is drawn on its own node, which plotly removes afterwards), and memory stays
bounded: never reloaded, a tab's page grew from 100 to 190 MB over 200 images before levelling
off, and a reload gives the memory back. A tab also gets a fresh page after a PDF (which leaves the image on the page)
and, both tabs, after any failed image. Reloads run in the background while the other tab works.
kaleido's bundled sync server blocks its event loop between jobs, which would stall those
background reloads, hence this small loop thread of our own.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import threading
from dataclasses import dataclass

import kaleido

TIMEOUT_S = 120
RELOAD_EVERY = 25  # images a tab draws on one page before the page is reloaded


class _EagerKaleido(kaleido.Kaleido):
    """Kaleido whose tabs keep their page between images and reload it in the background when due."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._reloads: set[asyncio.Task] = set()  # strong references until each reload is done
        self._drawn_on_page: dict[str, int] = {}  # tab id -> images drawn since its page loaded
        self._format = ""  # of the image being drawn: one at a time (Renderer's lock)
        self.reload_count = 0
        self.images_per_tab: dict[str, int] = {}  # tab id -> images drawn (for tests and diagnostics)
        self.reloads_per_tab: dict[str, int] = {}

    # kaleido 1.5's private hooks (version pinned in requirements.txt). tests/test_renderer.py checks the names,
    # signatures and the calls between them that this relies on, so any kaleido change fails there first.
    async def _render_task(self, fig_arg, **kwargs):
        self._format = (fig_arg.get("opts") or {}).get("format", "")
        return await super()._render_task(fig_arg, **kwargs)

    async def _return_kaleido_tab(self, tab) -> None:
        tab_id = tab.tab.target_id
        self.images_per_tab[tab_id] = self.images_per_tab.get(tab_id, 0) + 1
        drawn = self._drawn_on_page.get(tab_id, 0) + 1
        if drawn < RELOAD_EVERY and self._format != "pdf":
            self._drawn_on_page[tab.tab.target_id] = drawn
            await self.tabs_ready.put(tab)
            return
        reload = asyncio.create_task(self._reload(tab))
        self._reloads.add(reload)
        reload.add_done_callback(self._reloads.discard)

    def _reload(self, tab):
        """A fresh page for `tab`, which then goes back in the queue (kaleido's own return): a coroutine."""
        self._drawn_on_page[tab.tab.target_id] = 0
        self.reload_count += 1
        self.reloads_per_tab[tab.tab.target_id] = self.reloads_per_tab.get(tab.tab.target_id, 0) + 1
        return super()._return_kaleido_tab(tab)

    async def reload_idle_tabs(self) -> None:
        for _ in range(self.tabs_ready.qsize()):
            await self._reload(await self.tabs_ready.get())


@dataclass(frozen=True)
class _Session:
    """A started browser and the event loop, on a thread of its own, that runs its calls."""

    loop: asyncio.AbstractEventLoop
    browser: _EagerKaleido


class Renderer:
    """Thread-safe: one image at a time per process, rendered on a loop thread that owns the browser."""

    def __init__(self, tabs: int = 2) -> None:
        self._tabs = tabs
        self._lock = threading.Lock()
        self._session: _Session | None = None  # None until the first image, and after a shutdown

    def render(self, figure, *, fmt: str, width: int, height: int) -> bytes:
        with self._lock:
            session = self._session or self._start()
            job = session.browser.calc_fig(figure, opts=dict(format=fmt, width=width, height=height))
            try:
                return asyncio.run_coroutine_threadsafe(job, session.loop).result(timeout=TIMEOUT_S)
            except Exception:
                self._recover(session)
                raise

    @property
    def reload_count(self) -> int:
        """Pages reloaded since the browser started."""
        return self._session.browser.reload_count if self._session else 0

    def tab_counts(self) -> dict[str, tuple[int, int]]:
        """Tab id -> (images drawn, page reloads) since the browser started."""
        if self._session is None:
            return {}
        browser = self._session.browser
        return {tab: (images, browser.reloads_per_tab.get(tab, 0)) for tab, images in browser.images_per_tab.items()}

    def _recover(self, session: _Session) -> None:
        """After a failed image, fresh pages for every tab; if even that fails, a new browser next time."""
        try:
            asyncio.run_coroutine_threadsafe(session.browser.reload_idle_tabs(), session.loop).result(timeout=30)
        except Exception:
            self._shutdown()

    def _start(self) -> _Session:
        loop = asyncio.new_event_loop()
        threading.Thread(target=loop.run_forever, name="kaleido", daemon=True).start()
        try:
            browser = asyncio.run_coroutine_threadsafe(self._open(), loop).result(timeout=TIMEOUT_S)
        except BaseException:
            loop.call_soon_threadsafe(loop.stop)
            raise
        self._session = _Session(loop, browser)
        atexit.register(self.close)
        return self._session

    async def _open(self) -> _EagerKaleido:
        browser = _EagerKaleido(n=self._tabs, mathjax=False)
        await browser.open()
        return browser

    def close(self) -> None:
        """Stop the browser (at exit); the next render starts a new one."""
        with self._lock:
            self._shutdown()

    def _shutdown(self) -> None:
        session, self._session = self._session, None
        if session is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(session.browser.close(), session.loop).result(timeout=30)
        except Exception as error:  # the caller's own error matters more; the OS reaps the rest at exit
            logging.getLogger(__name__).warning("the image browser did not close cleanly: %r", error)
        finally:
            session.loop.call_soon_threadsafe(session.loop.stop)
