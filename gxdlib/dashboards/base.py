"""The shared page shell: one template, one header, the language switch.

A page subclasses :class:`Page`, says its title key and fills ``sidebar()`` and
``main()``; ``__panel__`` wraps them in the same FastListTemplate everywhere.
Below :data:`NARROW_SCREEN_PX` (phones and tablets) the sidebar starts folded
behind the template's menu button and, opened, lies over the content instead
of squeezing it; :func:`side_by_side` lets blocks sit in a row on a wide
screen and stack on a narrow one.
"""

from __future__ import annotations

import re

import pandas as pd
import panel as pn
import param
from bokeh.models import CustomJS

from gxdlib.catalog import LoadedPrices
from gxdlib.dashboards.i18n import LANGUAGES, label
from gxdlib.errors import GXDError

ACCENT = "#1b7f5b"
"""Header colour shared by every page (a green for a green-and-digital consortium)."""

PAGES: dict[str, str] = {
    "page_overview": "overview",
    "page_vppa": "vppa",
    "page_procurement": "procurement",
    "page_footprint": "footprint",
}
"""Served pages: label key to the app name under ``apps/`` (its URL path)."""

NARROW_SCREEN_PX = 1024
"""Viewport width [px] below which the sidebar starts folded (a tablet held
upright is 768 px wide, a phone about 390 px)."""

BLOCK_MIN_WIDTH_PX = 320
"""Narrowest a block of :func:`side_by_side` gets before the row wraps [px]."""

# The template's sidebar is a flex item of a fixed width beside the main area:
# on a narrow screen it would leave the content a sliver, so there it floats
# over the content, and it starts closed (closeNav is the template's own); the
# two-language title shrinks to fit a phone's header.
_NARROW_SCREEN_CSS = f"""
@media (max-width: {NARROW_SCREEN_PX - 1}px) {{
  #sidebar:not(.hidden) {{
    position: absolute;
    z-index: 1000;
    height: 100%;
    box-shadow: 4px 0 12px rgba(0, 0, 0, 0.25);
  }}
  #header a.title {{
    font-size: 0.9rem;
  }}
}}
"""
_FOLD_SIDEBAR_ON_NARROW_SCREEN = f"if (window.innerWidth < {NARROW_SCREEN_PX}) {{ closeNav(); }}"


# An absolute path of two parts or more; "://" of a URL and units such as
# "JPY/kWh" are preceded by a word character or a colon and stay as they are.
_ABSOLUTE_PATH = re.compile(r"(?<![\w:/.])(?:/[^\s/:,;'\"()]+){2,}")


def screen_message(error: GXDError) -> str:
    """The message of ``error`` for a page: each server path reduced to its file name.

    Readers name the file at fault by its full path, which tells an analyst
    where to look but tells a page's visitor how the server is laid out.

    Examples
    --------
    >>> from gxdlib.errors import DataFormatError
    >>> screen_message(DataFormatError("expected a number", source="/srv/data/jepx/a.csv", line=3))
    'a.csv, line 3: expected a number'
    """
    return _ABSOLUTE_PATH.sub(lambda path: path.group(0).rsplit("/", 1)[-1], str(error))


def side_by_side(*blocks: pn.viewable.Viewable) -> pn.FlexBox:
    """Blocks in a row that wraps: side by side when wide, stacked on a phone.

    Each block stretches to share the row and is never narrower than
    :data:`BLOCK_MIN_WIDTH_PX` (a narrower screen scrolls sideways instead
    of squeezing text).
    """
    for block in blocks:
        block.sizing_mode = "stretch_width"
    # Each block sits in a cell with a flex basis, not a width, so the cells share
    # the row and wrap below it; a plot method's pane does not take the basis itself.
    cells = [
        pn.Column(
            block,
            sizing_mode="stretch_width",
            min_width=BLOCK_MIN_WIDTH_PX,
            styles={"flex": f"1 1 {BLOCK_MIN_WIDTH_PX}px"},
        )
        for block in blocks
    ]
    return pn.FlexBox(*cells, sizing_mode="stretch_width")


class Page(pn.viewable.Viewer):
    """Base of every dashboard page.

    Subclasses set ``title_key`` and implement :meth:`sidebar` and :meth:`main`.
    """

    language = param.Selector(default="en", objects=list(LANGUAGES.values()), doc="en or ja")

    title_key: str = "app_title"

    def text(self, key: str) -> str:
        """A label in the page's current language."""
        return label(key, self.language)

    def sidebar(self) -> list:
        """Widgets for the sidebar, below the language switch."""
        return []

    def main(self) -> list:
        """The page's content."""
        raise NotImplementedError

    def statistics_table(self, rows: list[tuple[str, str]], css_class: str) -> pn.widgets.Tabulator:
        """A read-only two-column table of (label key, formatted value) rows.

        The values are DOM text, so browser tests can read them.
        """
        table = pd.DataFrame(
            {
                self.text("statistic"): [self.text(key) for key, _ in rows],
                self.text("value"): [value for _, value in rows],
            }
        )
        return pn.widgets.Tabulator(
            table,
            show_index=False,
            disabled=True,
            css_classes=[css_class],
            sizing_mode="stretch_width",
        )

    def prices_source(self, loaded: LoadedPrices) -> str:
        """Where ``loaded`` came from (file name, publisher, fiscal year), in the page language."""
        key = "sample_prices_source" if loaded.is_sample else "jepx_prices_source"
        return self.text(key).format(file=loaded.file_name, fy=loaded.fiscal_year)

    def data_status_alert(
        self, is_sample: bool, source: str, what_key: str = "data_status"
    ) -> pn.pane.Alert:
        """Says on screen whether real or sample data is shown for ``what_key``, and from where."""
        kind = self.text("sample_data" if is_sample else "real_data")
        return pn.pane.Alert(
            f"**{self.text(what_key)}: {kind}**<br>{source}",
            alert_type="warning" if is_sample else "success",
            css_classes=["data-status"],
        )

    def language_switch(self) -> pn.widgets.RadioButtonGroup:
        return pn.widgets.RadioButtonGroup.from_param(
            self.param.language, options=LANGUAGES, name="", button_type="light"
        )

    def heading(self) -> pn.pane.Markdown:
        """The page title, in the current language."""
        return pn.pane.Markdown(
            pn.bind(lambda _: f"## {self.text(self.title_key)}", self.param.language),
            margin=(0, 10),
        )

    def navigation(self) -> pn.pane.Markdown:
        def links(_: str) -> str:
            items = "\n".join(f"- [{self.text(key)}](./{app})" for key, app in PAGES.items())
            return f"**{self.text('pages')}**\n\n{items}"

        return pn.pane.Markdown(pn.bind(links, self.param.language))

    def __panel__(self) -> pn.template.FastListTemplate:
        if pn.state.curdoc is not None:
            # a model belongs to one document, so each session gets its own callback
            fold = CustomJS(code=_FOLD_SIDEBAR_ON_NARROW_SCREEN)
            pn.state.curdoc.js_on_event("document_ready", fold)
        return pn.template.FastListTemplate(
            title=label("app_title", "en") + " | " + label("app_title", "ja"),
            sidebar=[self.language_switch(), *self.sidebar(), self.navigation()],
            main=[self.heading(), *self.main()],
            header_background=ACCENT,
            accent_base_color=ACCENT,
            theme_toggle=False,
            sidebar_width=300,
            raw_css=[_NARROW_SCREEN_CSS],
        )
